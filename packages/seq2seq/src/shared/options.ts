import type { DecodingOptions, FinishReason, GeneratedSequence, GenerationMetrics, LoadModelOptions, TokenEvent } from "@proj/core";

/**
 * Per-call options shared by translation and summarization: every decoding option of the engine
 * (`maxNewTokens`, `numBeams`, `lengthPenalty`, `noRepeatNgramSize`, `doSample`, `topP`, `seed`, `stop` ...),
 * which override the model's `generation_config.json` and its `task_specific_params`, plus streaming and batching.
 *
 * @example
 * const options: Seq2SeqCallOptions = { numBeams: 4, maxNewTokens: 60, batchSize: 16 };
 */
export interface Seq2SeqCallOptions extends DecodingOptions {
  /**
   * Called for every generated token with the text it completes (`event.input` is the index of the text in the call).
   * Beam search changes its beams until the end, so with `numBeams > 1` no tokens are reported.
   */
  onToken?: (event: TokenEvent) => void;
  /** Texts run together in one forward pass (longer lists run in several batches). @defaultValue 8 */
  batchSize?: number;
}

/**
 * How a one-shot function finds its model: a folder, a Hub id, or a handle already created, and how to load it.
 *
 * @typeParam H - the task's handle type.
 * @example
 * await translate("Hello", { model: "./models/opus-mt-en-de", load: { threads: 2 } });
 */
export interface ModelChoice<H> {
  /** A local folder in the Optimum ONNX layout, a Hub id, or a handle made once and reused. */
  model?: string | H;
  /** How the model is loaded (threads, dtype, device, graphs, Hub options) when `model` is a folder or Hub id. */
  load?: LoadModelOptions;
}

/**
 * The result for one input text.
 *
 * @example
 * const { text, finishReason, metrics } = await translate("Hello", { to: "de" });
 */
export interface Seq2SeqResult {
  /** The output text of the best (or only) sequence. */
  text: string;
  /** Its generated token ids (no decoder start token, no end-of-sequence token). */
  tokenIds: number[];
  /** Why it ended: `"stop"` (end-of-sequence or stop string), `"length"` (`maxNewTokens` or `maxTime`), `"abort"`. */
  finishReason: FinishReason;
  /** Every returned sequence (`numReturnSequences`), best first with beam search. */
  sequences: GeneratedSequence[];
  /** Timings and counts of the whole call (shared by every text of a batch). */
  metrics: GenerationMetrics;
}
