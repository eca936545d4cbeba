import { optionNames } from "@proj/core/internal";

/**
 * One candidate for the masked token.
 *
 * @example
 * const [best]: FillMaskPrediction[] = await fillMask("Paris is the [MASK] of France.");
 * // { score: 0.7, token: 3007, tokenStr: "capital", sequence: "paris is the capital of france." }
 */
export interface FillMaskPrediction {
  /** Probability of the token at the mask (softmax over the whole vocabulary). */
  score: number;
  /** The token id. */
  token: number;
  /** The token, decoded. */
  tokenStr: string;
  /** The text with the mask replaced by the token, decoded (special tokens left out). */
  sequence: string;
}

/**
 * Options of one fill-mask call (on a handle or through {@link fillMask}).
 *
 * @example
 * const options: FillMaskCallOptions = { topK: 3, targets: ["doctor", "nurse"] };
 */
export interface FillMaskCallOptions {
  /** How many candidates to return, best first (at most the number of `targets`). @defaultValue 5 */
  topK?: number;
  /**
   * Score only these tokens. Each must be a single token of the vocabulary: spelled as in the vocabulary, or text
   * the tokenizer turns into exactly one token (`"Paris"` for an uncased model's `"paris"`); anything else is an
   * `InputError`.
   */
  targets?: readonly string[];
  /** Texts run in one forward pass. @defaultValue 32 */
  batchSize?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * The option names of {@link FillMaskCallOptions}, which a fill-mask handle's `fillMask()` accepts.
 *
 * @example
 * checkTaskOptions(options, "fillMask", FILL_MASK_CALL_OPTION_NAMES);
 */
export const FILL_MASK_CALL_OPTION_NAMES = optionNames<FillMaskCallOptions>()(["topK", "targets", "batchSize", "signal"]);

/**
 * Options of a fill-mask handle's `probabilities()`.
 *
 * @example
 * const options: ProbabilitiesOptions = { batchSize: 8 };
 */
export type ProbabilitiesOptions = Pick<FillMaskCallOptions, "batchSize" | "signal">;

/**
 * The option names of {@link ProbabilitiesOptions}.
 *
 * @example
 * checkTaskOptions(options, "probabilities", PROBABILITIES_OPTION_NAMES);
 */
export const PROBABILITIES_OPTION_NAMES = optionNames<ProbabilitiesOptions>()(["batchSize", "signal"]);
