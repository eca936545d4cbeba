import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The models shipped with @proj, trained here on public data (see each model card). */
export type EmbeddedModelName = "sentiment" | "ner" | "fill-mask" | "generation" | "translation-en-de";

/** Every embedded model, for tools that list them. */
export const EMBEDDED_MODEL_NAMES: readonly EmbeddedModelName[] = ["sentiment", "ner", "fill-mask", "generation", "translation-en-de"];

const modelsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "models");

/**
 * Absolute path of an embedded model folder (Optimum layout, with a README model card), or `undefined`
 * when this install does not have it.
 *
 * @example
 * const folder = embeddedModelPath("sentiment"); // ".../node_modules/@proj/models/models/sentiment"
 */
export function embeddedModelPath(name: EmbeddedModelName): string | undefined {
  const dir = join(modelsDir, name);
  return existsSync(join(dir, "config.json")) ? dir : undefined;
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
