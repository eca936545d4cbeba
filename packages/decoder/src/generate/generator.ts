import { DisposedError, type LoadedModel, type LoadModelOptions, loadModel, type ModelSpec } from "@proj/core";
import { type BatcherOptions, CausalRunner, ContinuousBatcher } from "@proj/core/internal";
import { type ChatMessage, type ChatOptions, renderChat } from "../chat/template.js";
import { checkOptions } from "../shared/check-options.js";
import { GenerationStream } from "../stream/generation-stream.js";
import type { GenerateOptions, GenerationResult } from "./options.js";
import { generateBatch } from "./run.js";

/** Per-call options of a {@link Generator}: everything but the model. */
export type GeneratorCallOptions = Omit<GenerateOptions, "model" | "load">;

/** Options of {@link createGenerator}: how to load the model, and how concurrent calls are batched. */
export interface GeneratorOptions extends LoadModelOptions {
  /**
   * Continuous batching of concurrent calls on this handle: most sequences decoded together (default 16),
   * most tokens in flight, most requests waiting.
   */
  batching?: BatcherOptions;
}

/** A loaded decoder-only model, reused across calls. Free it with {@link Generator.dispose}. */
export interface Generator {
  /** The loaded model (configs, tokenizer, sessions). */
  readonly model: LoadedModel;
  /** True once disposed. */
  readonly disposed: boolean;
  /** Continues one prompt. */
  generate(prompt: string, options?: GeneratorCallOptions): Promise<GenerationResult>;
  /** Continues several prompts in one batch. */
  generate(prompts: string[], options?: GeneratorCallOptions): Promise<GenerationResult[]>;
  /** Streams the continuation of one prompt as text deltas. */
  stream(prompt: string, options?: GeneratorCallOptions): GenerationStream;
  /** Answers a conversation, rendered with the model's chat template. */
  chat(messages: readonly ChatMessage[], options?: GeneratorCallOptions & ChatOptions): Promise<GenerationResult>;
  /** Streams the answer to a conversation. */
  streamChat(messages: readonly ChatMessage[], options?: GeneratorCallOptions & ChatOptions): GenerationStream;
  /** Sequences decoding now and requests waiting to join them (continuous batching of concurrent calls). */
  batchStats(): { running: number; queued: number };
  /** Releases the model's sessions. */
  dispose(): Promise<void>;
}

/**
 * Loads a decoder-only model (GPT-2, LLaMA, Qwen, Gemma ...) once for many generations.
 *
 * @example
 * const generator = await createGenerator("onnx-community/Qwen2.5-0.5B-Instruct");
 * const { text, metrics } = await generator.generate("Once upon a time", { maxNewTokens: 40, doSample: true, topP: 0.9, seed: 1 });
 * await generator.dispose();
 */
export async function createGenerator(model: ModelSpec, options: GeneratorOptions = {}): Promise<Generator> {
  checkOptions(options, "createGenerator");
  const { batching, ...load } = options;
  const loaded = await loadModel(model, { expectFamily: "decoder", ...load });
  let runner: CausalRunner;
  try {
    runner = new CausalRunner(loaded.session(loaded.graphs[0] as string), loaded.config, {
      padTokenId: loaded.config.padTokenId ?? loaded.tokenizer.specialIds.pad ?? loaded.config.eosTokenIds[0] ?? 0,
    });
  } catch (error) {
    await loaded.dispose(); // a graph the runner cannot drive: free its session before reporting why
    throw error;
  }
  const engine = { runner, batcher: new ContinuousBatcher(runner, { maxSequences: 16, ...batching }) };
  const check = (): void => {
    if (loaded.disposed) throw new DisposedError(`The generator for ${loaded.source.label}`);
  };
  async function generate(prompt: string, options?: GeneratorCallOptions): Promise<GenerationResult>;
  async function generate(prompts: string[], options?: GeneratorCallOptions): Promise<GenerationResult[]>;
  async function generate(input: string | string[], options: GeneratorCallOptions = {}): Promise<GenerationResult | GenerationResult[]> {
    check();
    checkOptions(options, "generate");
    const results = await generateBatch(loaded, Array.isArray(input) ? input : [input], options, true, engine);
    return Array.isArray(input) ? results : (results[0] as GenerationResult);
  }
  const chatPrompt = (messages: readonly ChatMessage[], options: ChatOptions): string => renderChat(loaded, messages, options);
  return {
    model: loaded,
    get disposed() {
      return loaded.disposed;
    },
    generate,
    stream(prompt, options = {}) {
      check();
      checkOptions(options, "stream");
      return new GenerationStream((onToken) =>
        generateBatch(loaded, [prompt], { ...options, onToken }, true, engine).then((r) => r[0] as GenerationResult),
      );
    },
    async chat(messages, options = {}) {
      check();
      checkOptions(options, "chat");
      const [result] = await generateBatch(loaded, [chatPrompt(messages, options)], options, false, engine);
      return result as GenerationResult;
    },
    streamChat(messages, options = {}) {
      check();
      checkOptions(options, "streamChat");
      const prompt = chatPrompt(messages, options);
      return new GenerationStream((onToken) =>
        generateBatch(loaded, [prompt], { ...options, onToken }, false, engine).then((r) => r[0] as GenerationResult),
      );
    },
    batchStats: () => ({ running: engine.batcher.running, queued: engine.batcher.queued }),
    dispose: () => loaded.dispose(),
  };
}
