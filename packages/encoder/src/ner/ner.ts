import type { TaskOptions } from "@proj/core";
import { optionNames, TASK_OPTION_NAMES } from "@proj/core/internal";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { checkTaskOptions } from "../shared/options.js";
import { checkChoice, checkTexts } from "../shared/validate.js";
import { checkDecoding, checkIgnoreLabels } from "./options.js";
import { AGGREGATIONS, createTokenClassifier, type TokenClassifier } from "./token-classifier.js";
import { type Entity, NER_CALL_OPTION_NAMES, type NerCallOptions } from "./types.js";

/**
 * Options of {@link ner}: the model (folder, Hub id or {@link TokenClassifier}; the embedded NER model when omitted),
 * how to load it (`load`), a `signal`, and the call options.
 *
 * @example
 * const options: NerOptions = { model: "./models/bert-ner", aggregation: "first", load: { threads: 2 } };
 */
export interface NerOptions extends TaskOptions<TokenClassifier>, NerCallOptions {}

/**
 * The option names of {@link NerOptions}: anything else is refused with an `InputError`.
 *
 * @example
 * checkTaskOptions(options, "ner", NER_OPTION_NAMES);
 */
export const NER_OPTION_NAMES = optionNames<NerOptions>()([...TASK_OPTION_NAMES, ...NER_CALL_OPTION_NAMES]);

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
export async function ner(input: string | string[], options?: NerOptions): Promise<Entity[] | Entity[][]> {
  checkTexts(input, "ner");
  const { model, load, ...call } = checkTaskOptions(options, "ner", NER_OPTION_NAMES);
  checkChoice(call.aggregation, "aggregation", AGGREGATIONS, "none");
  checkIgnoreLabels(call.ignoreLabels);
  checkDecoding(call);
  const recognizer = await resolveHandle(
    { model, load, signal: call.signal },
    "ner",
    "token-classification",
    recognizers,
    createTokenClassifier,
  );
  return recognizer.ner(input as string, call);
}
