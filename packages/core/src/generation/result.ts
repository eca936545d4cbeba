import type { GenerationMetrics } from "../metrics/generation-metrics.js";
import type { TokenLogprob } from "./logprobs/token-logprob.js";
import type { FinishReason, GeneratedSequence } from "./types.js";

/**
 * The result of generating from one input: a decoder's continuation (`generate`, `chat`), a translation, a
 * summary, a text-to-text answer. Task results add their own fields to it (a translation's languages, a summary's
 * chunks).
 *
 * @example
 * const { text, finishReason, metrics } = await generate("Once upon a time", { maxNewTokens: 20 });
 */
export interface GenerationResult {
  /** The generated text of the best (or only) sequence, without the prompt. */
  text: string;
  /** Its generated token ids (no prompt, no decoder start token, no end-of-sequence token). */
  tokenIds: number[];
  /** Why it ended: `"stop"` (end-of-sequence or stop string), `"length"` (`maxNewTokens` or `maxTime`), `"abort"`. */
  finishReason: FinishReason;
  /** Every returned sequence (`numReturnSequences`), best first with beam search. */
  sequences: GeneratedSequence[];
  /** Timings and counts of the whole call (shared by every input of a batch). */
  metrics: GenerationMetrics;
  /** With `logprobs`: the log-probability of each of `tokenIds` (see {@link TokenLogprob}). */
  logprobs?: TokenLogprob[];
}
