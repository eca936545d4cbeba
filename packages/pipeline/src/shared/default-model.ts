import { baseLanguage, type ResolvedTask, type TaskRow } from "@proj/chooser";
import { type EmbeddedModelName, embeddedModelPath } from "@proj/models";
import type { TranslationPipelineOptions } from "./options.js";

/**
 * The model a pipeline loads when none is given: the task's embedded model (trained in this repository, shipped in
 * `@proj/models`, works offline) when it is installed and suits the call, else the chooser's default Hub model.
 * The embedded translation model is English to German only, so it is skipped for other pairs.
 *
 * @example
 * defaultModelFor(taskRow("ner"), resolveTask("ner"), {}); // ".../@proj/models/models/ner", or "Xenova/bert-base-NER"
 */
export function defaultModelFor(row: TaskRow, resolved: ResolvedTask, pair: TranslationPipelineOptions): string {
  if (row.embeddedModel !== undefined) {
    const from = pair.from ?? resolved.from;
    const to = pair.to ?? resolved.to;
    const suits = row.task !== "translation" || (baseLanguage(from ?? "en") === "en" && baseLanguage(to ?? "de") === "de");
    const path = suits ? embeddedModelPath(row.embeddedModel as EmbeddedModelName) : undefined;
    if (path !== undefined) return path;
  }
  return row.defaultModel;
}
