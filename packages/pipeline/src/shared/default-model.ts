import { defaultModelOf, type ResolvedTask, type TaskRow } from "@proj/chooser";
import { defaultModelPath } from "@proj/models";
import { defaultTranslationModel } from "@proj/seq2seq";
import type { TranslationPipelineOptions } from "./options.js";

/**
 * The model a pipeline loads when none is given: the task's embedded model (trained in this repository, shipped in
 * `@proj/models`, works offline) when it is installed and suits the call, else the chooser's default Hub model.
 * Translation asks `@proj/seq2seq`'s `defaultTranslationModel`, the function `translate()` uses, with the pair of the
 * options or of a `translation_xx_to_yy` task name, so both pick the same model (the embedded one is English to
 * German only); other tasks ask the chooser's `defaultModelOf`.
 *
 * @example
 * defaultModelFor(taskRow("ner"), resolveTask("ner"), {}); // ".../@proj/models/models/ner", or "Xenova/bert-base-NER"
 */
export function defaultModelFor(row: TaskRow, resolved: ResolvedTask, pair: TranslationPipelineOptions): string {
  if (row.task === "translation") return defaultTranslationModel({ from: pair.from ?? resolved.from, to: pair.to ?? resolved.to });
  return defaultModelPath(defaultModelOf(row.task));
}
