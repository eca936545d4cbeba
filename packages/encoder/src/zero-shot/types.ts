import { optionNames } from "@proj/core/internal";

/**
 * The answer of zero-shot classification for one text, as the Hugging Face pipeline gives it: the candidate labels
 * best first and their scores in the same order.
 *
 * @example
 * const result: ZeroShotResult = await classifyZeroShot("I loved the match", ["sports", "politics"]);
 * // { sequence: "I loved the match", labels: ["sports", "politics"], scores: [0.93, 0.07] }
 */
export interface ZeroShotResult {
  /** The text classified. */
  sequence: string;
  /** The candidate labels, best first. */
  labels: string[];
  /** Their scores, in the order of `labels`. */
  scores: number[];
}

/**
 * Options of one zero-shot call (on a classifier or through {@link classifyZeroShot}).
 *
 * @example
 * const options: ZeroShotCallOptions = { hypothesisTemplate: "This review is {}.", multiLabel: true };
 */
export interface ZeroShotCallOptions {
  /** The hypothesis each label is put into; `{}` marks the label. @defaultValue "This example is {}." */
  hypothesisTemplate?: string;
  /**
   * `false`: the labels compete (softmax of the entailment logits across labels, scores sum to 1). `true`: each
   * label is judged alone (softmax of its contradiction and entailment logits). One label is always judged alone.
   * @defaultValue false
   */
  multiLabel?: boolean;
  /** Text-hypothesis pairs run in one forward pass, sorted by length first. @defaultValue 32 */
  batchSize?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * The option names of {@link ZeroShotCallOptions}.
 *
 * @example
 * checkTaskOptions(options, "classifyZeroShot", ZERO_SHOT_CALL_OPTION_NAMES);
 */
export const ZERO_SHOT_CALL_OPTION_NAMES = optionNames<ZeroShotCallOptions>()(["hypothesisTemplate", "multiLabel", "batchSize", "signal"]);
