import type { GenerationCallOptions, GenerationResult, LoadedModel, LoadOptions, TaskOptions, TextStream } from "@proj/core";
import type { BatcherOptions } from "@proj/core/internal";
import type { PrefixCacheOptions, PrefixCacheStats } from "@proj/core";
import type { ChatMessage, ChatOptions } from "../chat/messages.js";
import type { ChatResult } from "../tools/tool-chat.js";
import type { ToolOptions } from "../tools/types.js";

/**
 * Per-call options of a {@link Generator}, local or remote: decoding options (which override the model's
 * `generation_config.json`), the token callback, the signal, and how the prompt is tokenized.
 *
 * @example
 * await generator.generate("Once upon a time", { maxNewTokens: 30, doSample: true, topP: 0.9, seed: 1 });
 */
export interface GeneratorCallOptions extends GenerationCallOptions {
  /** Add the tokenizer's special tokens (such as LLaMA's `<s>`) to the prompt. @defaultValue true (false for chat) */
  addSpecialTokens?: boolean;
  /**
   * What to do when the prompt plus `maxNewTokens` does not fit the model's context:
   * `"error"` throws an InputError; `"left"` drops the oldest prompt tokens. @defaultValue "error"
   */
  truncatePrompt?: "error" | "left";
  /**
   * Reuse the key/values of a cached prompt prefix and leave this prompt's for later calls (the generator's prefix
   * cache; the output is the same either way). Sent to a remote server as llama.cpp's `cache_prompt`. @defaultValue true
   */
  cachePrompt?: boolean;
}

/** Per-call options of {@link Generator.chat}: call options, the chat template options and the tools. */
export interface GeneratorChatOptions extends GeneratorCallOptions, ChatOptions, ToolOptions {}

/** A model for {@link generate}, {@link stream} and {@link chat}: a folder path, a Hub id, or a {@link Generator}. */
export type GeneratorModel = string | Generator;

/**
 * Options of {@link generate} and {@link stream}: the model (a folder, a Hub id, or a {@link Generator}, local or
 * remote), how to load it, and the call options.
 *
 * @example
 * await generate("Hello", { model: "./models/gpt2", load: { threads: 2 }, maxNewTokens: 20 });
 */
export interface GenerateOptions extends GeneratorCallOptions, TaskOptions<Generator> {}

/** Options of {@link chat} and {@link streamChat}. */
export interface ChatCallOptions extends GenerateOptions, ChatOptions, ToolOptions {}

/** Options of {@link createGenerator}: how to load the model, a signal for the load, and how concurrent calls are batched. */
export interface GeneratorOptions {
  /** How the model is loaded (dtype, threads, device, Hub options). */
  load?: LoadOptions;
  /** Cancels the load. */
  signal?: AbortSignal;
  /**
   * Continuous batching of concurrent calls on this handle: most sequences decoded together (default 16),
   * most tokens in flight, most requests waiting, a callback after every decode step.
   */
  batching?: Omit<BatcherOptions, "prefixCache">;
  /**
   * Prompt prefixes' key/values kept across calls (a shared system prompt, a document, earlier chat turns), so a
   * call prefills only what is new: block size and byte budget, or `false` for none.
   * @defaultValue `{ blockTokens: 16, maxBytes: 256 MiB }`
   */
  prefixCache?: PrefixCacheOptions | boolean;
}

/**
 * A text generator: a decoder-only model loaded in this process ({@link createGenerator}) or served by an
 * OpenAI-compatible server ({@link createRemoteGenerator}). Both take the same calls and options, with the same
 * meaning, and give the same results and streams; either can be passed as `model` to {@link generate}.
 *
 * @example
 * const generator: Generator = local ? await createGenerator("./models/gpt2") : createRemoteGenerator({ baseURL, model: "gpt2" });
 * const { text } = await generator.generate("Once upon a time", { maxNewTokens: 20 });
 */
export interface Generator {
  /** The task this handle serves. */
  readonly task: "generate";
  /** True once disposed. */
  readonly disposed: boolean;
  /** Continues one prompt. */
  generate(prompt: string, options?: GeneratorCallOptions): Promise<GenerationResult>;
  /** Continues several prompts in one batch. */
  generate(prompts: string[], options?: GeneratorCallOptions): Promise<GenerationResult[]>;
  /** Streams the continuation of one prompt as text deltas. */
  stream(prompt: string, options?: GeneratorCallOptions): TextStream;
  /** Answers a conversation, rendered with the model's chat template; with `tools`, the calls the model made. */
  chat(messages: readonly ChatMessage[], options?: GeneratorChatOptions): Promise<ChatResult>;
  /** Streams the answer to a conversation (text only: tool-call markup is held back; the calls are in `.result`). */
  streamChat(messages: readonly ChatMessage[], options?: GeneratorChatOptions): TextStream<ChatResult>;
  /** Releases the model (a remote handle only marks itself disposed). */
  dispose(): Promise<void>;
}

/** A {@link Generator} whose model runs in this process: what {@link createGenerator} returns. */
export interface LocalGenerator extends Generator {
  /** The loaded model (configs, tokenizer, sessions). */
  readonly model: LoadedModel;
  /** Sequences decoding now and requests waiting to join them (continuous batching of concurrent calls). */
  batchStats(): { running: number; queued: number };
  /** The prefix cache's counters (lookups, hits, cached tokens, bytes held), or `undefined` when it is off. */
  prefixCacheStats(): PrefixCacheStats | undefined;
}
