import { optionNames } from "@proj/core/internal";

/**
 * One label of a classification and its score, e.g. `{ label: "POSITIVE", score: 0.98 }`.
 *
 * @example
 * const [best]: Classification[] = await classify("I love it");
 * best?.label; // "POSITIVE"
 */
export interface Classification {
  /** The label name, from the model's `id2label` (`LABEL_<i>` when it has none). */
  label: string;
  /** The label's score after {@link FunctionToApply}: a probability for softmax and sigmoid. */
  score: number;
}

/**
 * How logits become scores: `"softmax"` (labels exclusive, scores sum to 1), `"sigmoid"` (each label independent,
 * multi-label), or `"none"` (raw logits, e.g. regression).
 *
 * @example
 * await classify(text, { functionToApply: "sigmoid", topK: null });
 */
export type FunctionToApply = "softmax" | "sigmoid" | "none";

/**
 * Options of one classification call (on a handle or through {@link classify}).
 *
 * @example
 * const options: ClassifyCallOptions = { topK: null, batchSize: 16, truncation: "window" };
 */
export interface ClassifyCallOptions {
  /** How many labels to return per text, best first; `null` for all. More than the model has returns all. @defaultValue 1 */
  topK?: number | null;
  /**
   * How logits become scores. Defaults as the Hugging Face pipeline does: `"sigmoid"` when config.json's
   * `problem_type` is `"multi_label_classification"` or the model has one label, `"none"` for `"regression"`,
   * otherwise `"softmax"`.
   */
  functionToApply?: FunctionToApply;
  /** Texts run in one forward pass. Texts are sorted by length first, so each batch pads little. @defaultValue 32 */
  batchSize?: number;
  /**
   * What happens to a text longer than the model's window: `"truncate"` keeps its first `maxLength` tokens (the
   * Hugging Face default); `"window"` classifies overlapping windows over the whole text and averages their scores.
   * @defaultValue "truncate"
   */
  truncation?: "truncate" | "window";
  /** Tokens per text or window, special tokens included; at most the model's window. @defaultValue the model's window (512 for BERT) */
  maxLength?: number;
  /** With `truncation: "window"`, tokens each window repeats from the previous one. @defaultValue a quarter of `maxLength` */
  stride?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * The option names of {@link ClassifyCallOptions}, which a classifier's `classify()` accepts.
 *
 * @example
 * checkTaskOptions(options, "classify", CLASSIFY_CALL_OPTION_NAMES);
 */
export const CLASSIFY_CALL_OPTION_NAMES = optionNames<ClassifyCallOptions>()([
  "topK",
  "functionToApply",
  "batchSize",
  "truncation",
  "maxLength",
  "stride",
  "signal",
]);
