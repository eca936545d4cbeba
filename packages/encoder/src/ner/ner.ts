import { embeddedModelOr } from "@proj/models";
import { resolveHandle, taskCache } from "../shared/handles.js";
import type { ModelOptions } from "../shared/options.js";
import { checkChoice, checkOptions, checkTexts } from "../shared/validate.js";
import { checkIgnoreLabels } from "./options.js";
import { AGGREGATIONS, createTokenClassifier, DEFAULT_NER_MODEL, type TokenClassifier } from "./token-classifier.js";
import type { Entity, NerCallOptions } from "./types.js";

/**
 * Options of {@link ner}: the model (folder, Hub id or {@link TokenClassifier}), how to load it, and the call options.
 *
 * @example
 * const options: NerOptions = { model: "./models/bert-ner", aggregation: "first" };
 */
export interface NerOptions extends ModelOptions<TokenClassifier>, NerCallOptions {}

const recognizers = taskCache<TokenClassifier>();

/**
 * Finds named entities (people, organisations, places ...) with an encoder token-classification model, with the
 * semantics of the Hugging Face token-classification pipeline for each aggregation strategy. Offsets index the
 * original text. Texts longer than the model's window are split into overlapping windows and stitched, so every
 * entity is returned once.
 *
 * @example
 * const entities = await ner("Ada Lovelace was born in London.", { aggregation: "simple" });
 * // [{ entity: "PER", word: "Ada Lovelace", start: 0, end: 12, score: 0.99 },
 * //  { entity: "LOC", word: "London", start: 25, end: 31, score: 0.99 }]
 */
export async function ner(text: string, options?: NerOptions): Promise<Entity[]>;
export async function ner(texts: string[], options?: NerOptions): Promise<Entity[][]>;
export async function ner(input: string | string[], options: NerOptions = {}): Promise<Entity[] | Entity[][]> {
  checkTexts(input, "ner");
  checkOptions(options, "ner");
  checkChoice(options.aggregation, "aggregation", AGGREGATIONS, "none");
  checkIgnoreLabels(options.ignoreLabels);
  const recognizer = await resolveHandle(
    options.model,
    options,
    "ner",
    embeddedModelOr("ner", DEFAULT_NER_MODEL),
    recognizers,
    createTokenClassifier,
  );
  return recognizer.ner(input as string, options);
}
