import type { DecodingOptions, GeneratedSequence, GenerationMetrics, FinishReason, LoadModelOptions, TokenEvent } from "@proj/core";
import type { Generator } from "./generator.js";

/** A model: a folder path, a Hub id, or a {@link Generator} already loaded. */
export type GeneratorModel = string | Generator;

/** Options of {@link generate}, {@link stream} and {@link chat}: decoding options plus the model to use. */
export interface GenerateOptions extends DecodingOptions {
  /**
   * Model folder, Hub id, or a loaded {@link Generator}.
   * @defaultValue the embedded caption model of `@proj/models` (offline); {@link DEFAULT_CHAT_MODEL} for chat
   */
  model?: GeneratorModel;
  /** How the model is loaded (threads, dtype, device, Hub options) when `model` is a path or id. */
  load?: LoadModelOptions;
  /** Add the tokenizer's special tokens (such as LLaMA's `<s>`) to the prompt. @defaultValue true (false for chat) */
  addSpecialTokens?: boolean;
  /**
   * What to do when the prompt plus `maxNewTokens` does not fit the model's context:
   * `"error"` throws an InputError; `"left"` drops the oldest prompt tokens. @defaultValue "error"
   */
  truncatePrompt?: "error" | "left";
  /** Called for every generated token with the text it completes. */
  onToken?: (event: TokenEvent) => void;
}

/** The result of generating from one prompt. */
export interface GenerationResult {
  /** Generated text of the best (or only) sequence, without the prompt. */
  text: string;
  /** Generated token ids of that sequence. */
  tokenIds: number[];
  /** Why it ended: `"stop"` (end-of-sequence or stop string), `"length"` (maxNewTokens or maxTime), `"abort"`. */
  finishReason: FinishReason;
  /** Every returned sequence (`numReturnSequences`), best first with beam search. */
  sequences: GeneratedSequence[];
  /** Timings and counts of the call (shared by every prompt of a batch). */
  metrics: GenerationMetrics;
}
