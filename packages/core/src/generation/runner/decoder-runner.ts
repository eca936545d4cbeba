import type { DecoderCache } from "../cache/decoder-cache.js";
import type { CachedPrefix, PrefixCache } from "../cache/prefix-cache.js";

/** One sequence to start: the prompt (decoder-only) or the encoder input (encoder-decoder). */
export interface PromptRow {
  /** Prompt ids (decoder-only) or encoder input ids (encoder-decoder). */
  inputIds: readonly number[];
  /** First decoder ids of an encoder-decoder model (usually the decoder start token). */
  decoderInputIds?: readonly number[];
  /**
   * Decoder-only: key/values of the first `past.length` prompt tokens (from a {@link PrefixCache}); the prefill then
   * computes only the rest of the prompt.
   */
  past?: CachedPrefix | undefined;
}

/** The outcome of one forward pass over a batch. */
export interface StepResult {
  /** The state to continue from. */
  cache: DecoderCache;
  /** Next-token logits of each row (views into the model output, `vocabSize` long, free to modify). */
  logits: Float32Array[];
}

/**
 * Runs a model's forward passes for generation, hiding the family's ONNX I/O (decoder-only with
 * `past_key_values.*`, or encoder-decoder with self- and cross-attention caches).
 */
export interface DecoderRunner {
  /** Starts sequences: the whole prompt in one forward pass. */
  prefill(prompts: readonly PromptRow[], signal?: AbortSignal): Promise<StepResult>;
  /** Feeds one new token per row and returns the next logits. */
  step(cache: DecoderCache, tokens: readonly number[], signal?: AbortSignal): Promise<StepResult>;
  /**
   * Feeds one or more new tokens per row in one pass (jump-forward decoding appends the tokens a grammar forces) and
   * returns the logits after each row's last one. Decoder-only runners have it.
   */
  stepTokens?(cache: DecoderCache, tokens: readonly (readonly number[])[], signal?: AbortSignal): Promise<StepResult>;
  /** True when {@link DecoderRunner.stepTokens} can feed rows different numbers of tokens (the graph takes position ids). */
  readonly stepsTokenRuns?: boolean;
}
