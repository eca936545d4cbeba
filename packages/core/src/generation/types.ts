import type { MetricsRecorder } from "../metrics/generation-metrics.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import type { PinnedPrefix } from "./cache/prefix-cache.js";
import type { CompiledGrammar } from "./constraint/compiled-grammar.js";
import type { ResolvedDecodingOptions } from "./options.js";
import type { TokenLogprob } from "./logprobs/token-logprob.js";
import type { PromptRow } from "./runner/decoder-runner.js";

/** Why a sequence ended: an end-of-sequence token or stop string, the length or time limit, or cancellation. */
export type FinishReason = "stop" | "length" | "abort";

/** One generated sequence. */
export interface GeneratedSequence {
  /** Generated token ids (the prompt and a final end-of-sequence token are not included). */
  tokenIds: number[];
  /** Generated text, special tokens removed, cut before a stop string. */
  text: string;
  /** Why generation of this sequence ended. */
  finishReason: FinishReason;
  /** Beam search: the hypothesis score (sum of log-probabilities over length^lengthPenalty). */
  score?: number;
  /** With `logprobs`: each generated token's log-probability, aligned with `tokenIds`. */
  logprobs?: TokenLogprob[];
}

/** A token as it is generated, for streaming. */
export interface TokenEvent {
  /** Index of the input (prompt) in the call. */
  input: number;
  /** Index of the sequence among that input's returned sequences. */
  sequence: number;
  /** The new token id. */
  tokenId: number;
  /** The text this token completes (may be `""` while a character or a possible stop string is incomplete). */
  text: string;
  /** With `logprobs`: the token's log-probability and the step's best alternatives. */
  logprob?: TokenLogprob;
}

/** Everything the decoding engine needs for one call. */
export interface EngineRequest {
  /** One row per input. */
  prompts: readonly PromptRow[];
  /** Per input, the ids that penalties and n-gram rules see as already present (the prompt, or the decoder prefix). */
  contexts: readonly (readonly number[])[];
  /** Validated decoding options. */
  options: ResolvedDecodingOptions;
  /** Decodes generated ids to text. */
  tokenizer: Tokenizer;
  /** Called for every generated token (streaming). Not called in beam search, whose beams change until the end. */
  onToken?: (event: TokenEvent) => void;
  /** Records timings. */
  metrics: MetricsRecorder;
  /** `options.responseFormat` compiled for the tokenizer; {@link runRows} compiles it when it is missing. */
  grammar?: CompiledGrammar | undefined;
  /** Reuse and fill the engine's prefix cache (decoder-only models whose batcher has one). @defaultValue true */
  cachePrompt?: boolean | undefined;
  /**
   * Receives, per input, the key/values of its first sequence (prompt and generated tokens) pinned in the prefix
   * cache, for the caller to release later (chat sessions). Not called with beam search or without a prefix cache.
   */
  keepCache?: ((pinned: PinnedPrefix, input: number) => void) | undefined;
}
