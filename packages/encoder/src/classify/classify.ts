import type { TaskOptions } from "@proj/core";
import { optionNames, TASK_OPTION_NAMES } from "@proj/core/internal";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { checkTaskOptions } from "../shared/options.js";
import { checkTexts, checkTopK } from "../shared/validate.js";
import { createClassifier, type TextClassifier } from "./classifier.js";
import { type Classification, CLASSIFY_CALL_OPTION_NAMES, type ClassifyCallOptions } from "./types.js";

/**
 * Options of {@link classify}: the model (folder, Hub id, a `Classifier`, or a remote classifier from
 * `createRemoteClassifier`; the embedded sentiment model when omitted), how to load it (`load`), a `signal`, and the call options.
 *
 * @example
 * const options: ClassifyOptions = { model: "./models/sst2", topK: null, load: { threads: 2 } };
 */
export interface ClassifyOptions extends TaskOptions<TextClassifier>, ClassifyCallOptions {}

/**
 * The option names of {@link ClassifyOptions}: anything else is refused with an `InputError`.
 *
 * @example
 * checkTaskOptions(options, "classify", CLASSIFY_OPTION_NAMES);
 */
export const CLASSIFY_OPTION_NAMES = optionNames<ClassifyOptions>()([...TASK_OPTION_NAMES, ...CLASSIFY_CALL_OPTION_NAMES]);

const classifiers = taskCache<TextClassifier>();

/**
 * Classifies text, for example its sentiment, with an encoder (BERT-family) sequence-classification model.
 * Scores are softmax probabilities for single-label models and sigmoids for multi-label ones (config.json's
 * `problem_type`), sorted best first. Texts longer than the model's window are truncated unless
 * `truncation: "window"` is passed. The model is loaded once and cached for later calls with the same model and
`load` options. Unknown options are refused with an `InputError` naming the nearest known one.
 *
 * @example
 * const [best] = await classify("I love this!");
 * // { label: "POSITIVE", score: 0.9998 }
 * const perText = await classify(["great", "awful"], { model: "./models/sst2", topK: null });
 * // [[{ label: "POSITIVE", ... }, { label: "NEGATIVE", ... }], [...]]
 */
export async function classify(text: string, options?: ClassifyOptions): Promise<Classification[]>;
export async function classify(texts: string[], options?: ClassifyOptions): Promise<Classification[][]>;
export async function classify(input: string | string[], options?: ClassifyOptions): Promise<Classification[] | Classification[][]> {
  checkTexts(input, "classify");
  const { model, load, ...call } = checkTaskOptions(options, "classify", CLASSIFY_OPTION_NAMES);
  checkTopK(call.topK, 1, true);
  const classifier = await resolveHandle(
    { model, load, signal: call.signal },
    "classify",
    "text-classification",
    classifiers,
    createClassifier,
  );
  return classifier.classify(input as string, call);
}
