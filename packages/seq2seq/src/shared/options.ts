import type { GenerationCallOptions, LoadOptions } from "@proj/core";
import type { BatcherOptions } from "@proj/core/internal";

/**
 * Per-call options shared by translation, summarization and text-to-text generation: every decoding option of the
 * engine (`maxNewTokens`, `numBeams`, `lengthPenalty`, `noRepeatNgramSize`, `doSample`, `topP`, `seed`, `stop` ...),
 * which override the model's `generation_config.json` and its `task_specific_params`, plus the token callback,
 * the signal, and the beam search batch size.
 *
 * @example
 * const options: Seq2SeqCallOptions = { numBeams: 4, maxNewTokens: 60, batchSize: 16 };
 */
export interface Seq2SeqCallOptions extends GenerationCallOptions {
  /**
   * Beam search: texts searched together in one batch (longer lists run in several). Greedy and sampled texts join
   * the handle's running batch instead, with those of concurrent calls (at most `batching.maxSequences` rows).
   * @defaultValue 8
   */
  batchSize?: number;
}

/**
 * Options of `createTranslator`, `createSummarizer` and `createText2Text`: how the model is loaded, a signal for the
 * load, and how concurrent calls on the handle are batched.
 *
 * @example
 * const translator = await createTranslator("Xenova/opus-mt-en-de", { load: { threads: 2 }, batching: { maxSequences: 8 } });
 */
export interface Seq2SeqHandleOptions {
  /** How the model is loaded (dtype, threads, device, graphs, Hub options). */
  load?: LoadOptions;
  /** Cancels the load. */
  signal?: AbortSignal;
  /**
   * Continuous batching of the greedy and sampled rows of concurrent calls on this handle: most rows decoded
   * together (default 16), most tokens in flight, most requests waiting, a callback after every decode step.
   */
  batching?: BatcherOptions;
}
