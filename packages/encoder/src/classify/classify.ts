import { embeddedModelOr } from "@proj/models";
import type { ModelOptions } from "../shared/options.js";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { checkOptions, checkTexts, checkTopK } from "../shared/validate.js";
import { type Classifier, createClassifier, DEFAULT_CLASSIFY_MODEL } from "./classifier.js";
import type { Classification, ClassifyCallOptions } from "./types.js";

/**
 * Options of {@link classify}: the model (folder, Hub id or {@link Classifier}), how to load it, and the call options.
 *
 * @example
 * const options: ClassifyOptions = { model: "./models/sst2", topK: null, threads: 2 };
 */
export interface ClassifyOptions extends ModelOptions<Classifier>, ClassifyCallOptions {}

const classifiers = taskCache<Classifier>();

/**
 * Classifies text, for example its sentiment, with an encoder (BERT-family) sequence-classification model.
 * Scores are softmax probabilities for single-label models and sigmoids for multi-label ones (config.json's
 * `problem_type`), sorted best first. Texts longer than the model's window are truncated unless
 * `truncation: "window"` is passed. The model is loaded once and cached for later calls with the same options.
 *
 * @example
 * const [best] = await classify("I love this!");
 * // { label: "POSITIVE", score: 0.9998 }
 * const perText = await classify(["great", "awful"], { model: "./models/sst2", topK: null });
 * // [[{ label: "POSITIVE", ... }, { label: "NEGATIVE", ... }], [...]]
 */
export async function classify(text: string, options?: ClassifyOptions): Promise<Classification[]>;
export async function classify(texts: string[], options?: ClassifyOptions): Promise<Classification[][]>;
export async function classify(input: string | string[], options: ClassifyOptions = {}): Promise<Classification[] | Classification[][]> {
  checkTexts(input, "classify");
  checkOptions(options, "classify");
  checkTopK(options.topK, 1, true);
  const classifier = await resolveHandle(
    options.model,
    options,
    "classify",
    embeddedModelOr("sentiment", DEFAULT_CLASSIFY_MODEL),
    classifiers,
    createClassifier,
  );
  return classifier.classify(input as string, options);
}
