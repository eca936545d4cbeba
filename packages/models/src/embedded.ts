import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The models shipped with @proj, trained here on public data (see each model card). */
export type EmbeddedModelName = "sentiment" | "ner" | "fill-mask" | "embedding" | "generation" | "translation-en-de";

/** Every embedded model, for tools that list them. */
export const EMBEDDED_MODEL_NAMES: readonly EmbeddedModelName[] = [
  "sentiment",
  "ner",
  "fill-mask",
  "embedding",
  "generation",
  "translation-en-de",
];

const modelsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "models");
/** Model folders by name, looked up once (the task functions ask on every call that gives no model). */
const found = new Map<string, string | undefined>();

/**
 * Absolute path of an embedded model folder (Optimum layout, with a README model card), or `undefined`
 * when this install does not have it.
 *
 * @example
 * const folder = embeddedModelPath("sentiment"); // ".../node_modules/@proj/models/models/sentiment"
 */
export function embeddedModelPath(name: EmbeddedModelName): string | undefined {
  if (!found.has(name)) {
    const dir = join(modelsDir, name);
    found.set(name, existsSync(join(dir, "config.json")) ? dir : undefined);
  }
  return found.get(name);
}

/**
 * The model a task function loads when the caller gives none: the embedded model when this install has it (works
 * offline, no download), else `hubModel`, the task's recommended Hub model.
 *
 * @example
 * embeddedModelOr("sentiment", "Xenova/distilbert-base-uncased-finetuned-sst-2-english");
 * // ".../node_modules/@proj/models/models/sentiment"
 */
export function embeddedModelOr(name: EmbeddedModelName, hubModel: string): string {
  return embeddedModelPath(name) ?? hubModel;
}

/**
 * The folder or Hub id for a default-model choice of `@proj/chooser` (`defaultModelOf(task, pair)`): its embedded
 * model when it names one this install has, else its Hub model. Task packages and the pipeline turn the chooser's
 * one decision into a path with it.
 *
 * @example
 * defaultModelPath({ embeddedModel: "translation-en-de", hubModel: "Xenova/t5-small" });
 * // ".../node_modules/@proj/models/models/translation-en-de"
 */
export function defaultModelPath(choice: { embeddedModel: string | undefined; hubModel: string }): string {
  const name = choice.embeddedModel;
  const known = name !== undefined && (EMBEDDED_MODEL_NAMES as readonly string[]).includes(name);
  return known ? embeddedModelOr(name as EmbeddedModelName, choice.hubModel) : choice.hubModel;
}
