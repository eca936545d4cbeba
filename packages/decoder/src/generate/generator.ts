import { DisposedError, type GenerationResult, loadModel, TextStream } from "@proj/core";
import {
  CausalRunner,
  chainTokenCallbacks,
  checkLoadOptions,
  checkOptions,
  ContinuousBatcher,
  type GenerationEngine,
  PrefixCache,
} from "@proj/core/internal";
import type { ChatMessage } from "../chat/messages.js";
import { runChat } from "../chat/run-chat.js";
import { withInternals } from "../session/generator-internals.js";
import { GENERATOR_CALL_OPTION_NAMES, GENERATOR_CHAT_OPTION_NAMES, GENERATOR_OPTION_NAMES } from "./option-names.js";
import { generateBatch } from "./run.js";
import type { ChatResult } from "../tools/tool-chat.js";
import type { GeneratorCallOptions, GeneratorChatOptions, GeneratorOptions, LocalGenerator } from "./types.js";

/**
 * Loads a decoder-only model (GPT-2, LLaMA, Qwen, Gemma ...) once for many generations. Concurrent calls on the
 * handle decode together (continuous batching, `batching` sets its limits).
 *
 * @example
 * const generator = await createGenerator("onnx-community/Qwen2.5-0.5B-Instruct", { load: { threads: 2 } });
 * const { text, metrics } = await generator.generate("Once upon a time", { maxNewTokens: 40, doSample: true, topP: 0.9, seed: 1 });
 * await generator.dispose();
 */
export async function createGenerator(model: string, options?: GeneratorOptions): Promise<LocalGenerator> {
  const { load, signal, batching, prefixCache } = checkOptions(options, "createGenerator()", GENERATOR_OPTION_NAMES);
  const prefixes = prefixCache === false ? undefined : new PrefixCache(prefixCache === true ? {} : prefixCache);
  const loadOptions = checkLoadOptions(load, "createGenerator");
  const loaded = await loadModel(model, { expectFamily: "decoder", ...loadOptions, ...(signal ? { signal } : {}) });
  let engine: GenerationEngine & { batcher: ContinuousBatcher };
  try {
    const runner = new CausalRunner(loaded.session(loaded.graphs[0] as string), loaded.config, {
      padTokenId: loaded.config.padTokenId ?? loaded.tokenizer.specialIds.pad ?? loaded.config.eosTokenIds[0] ?? 0,
    });
    engine = { runner, batcher: new ContinuousBatcher(runner, { maxSequences: 16, ...batching, prefixCache: prefixes }) };
  } catch (error) {
    await loaded.dispose(); // a graph the runner cannot drive: free its session before reporting why
    throw error;
  }
  const check = (): void => {
    if (loaded.disposed) throw new DisposedError(`The generator for ${loaded.source.label}`);
  };
  async function generate(prompt: string, options?: GeneratorCallOptions): Promise<GenerationResult>;
  async function generate(prompts: string[], options?: GeneratorCallOptions): Promise<GenerationResult[]>;
  async function generate(input: string | string[], options?: GeneratorCallOptions): Promise<GenerationResult | GenerationResult[]> {
    check();
    const call = checkOptions(options, "generate()", GENERATOR_CALL_OPTION_NAMES);
    const results = await generateBatch(loaded, Array.isArray(input) ? input : [input], call, true, engine);
    return Array.isArray(input) ? results : (results[0] as GenerationResult);
  }
  const chat = async (messages: readonly ChatMessage[], options?: GeneratorChatOptions): Promise<ChatResult> => {
    check();
    return runChat(loaded, engine, messages, checkOptions(options, "chat()", GENERATOR_CHAT_OPTION_NAMES));
  };
  const generator: LocalGenerator = {
    task: "generate",
    model: loaded,
    get disposed() {
      return loaded.disposed;
    },
    generate,
    stream(prompt, options) {
      check();
      const call = checkOptions(options, "stream()", GENERATOR_CALL_OPTION_NAMES);
      return new TextStream((onToken) => generate(prompt, { ...call, onToken: chainTokenCallbacks(call.onToken, onToken) }));
    },
    chat,
    streamChat(messages, options) {
      check();
      const call = checkOptions(options, "streamChat()", GENERATOR_CHAT_OPTION_NAMES);
      return new TextStream<ChatResult>((onToken) => chat(messages, { ...call, onToken: chainTokenCallbacks(call.onToken, onToken) }));
    },
    batchStats: () => ({ running: engine.batcher.running, queued: engine.batcher.queued }),
    prefixCacheStats: () => prefixes?.stats(),
    dispose: () => loaded.dispose(),
  };
  return withInternals(generator, { model: loaded, engine, prefixCache: prefixes });
}
