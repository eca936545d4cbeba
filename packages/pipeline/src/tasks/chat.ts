import {
  type ChatMessage,
  createGenerator,
  type GenerationResult,
  type GeneratorChatOptions,
  type LocalGenerator,
  type TextStream,
} from "@proj/decoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * Options of one chat turn: decoding options plus the chat template options.
 *
 * @example
 * const options: ChatPipelineCallOptions = { maxNewTokens: 128, temperature: 0.7, doSample: true };
 */
export type ChatPipelineCallOptions = GeneratorChatOptions;

/**
 * A chat pipeline: call it with the conversation so far for the assistant's answer (rendered with the model's
 * chat template), or `stream()` the answer.
 *
 * @example
 * const chat = await pipeline("chat");
 * const history = [{ role: "user", content: "What is ONNX?" }];
 * const { text } = await chat(history, { maxNewTokens: 64 });
 * history.push({ role: "assistant", content: text });
 */
export interface ChatPipeline extends PipelineBase<"chat", LocalGenerator> {
  /** The assistant's answer to the conversation. */
  (messages: readonly ChatMessage[], options?: ChatPipelineCallOptions): Promise<GenerationResult>;
  /** Streams the assistant's answer as text deltas. */
  stream(messages: readonly ChatMessage[], options?: ChatPipelineCallOptions): TextStream;
}

/**
 * Builds a {@link ChatPipeline} with `@proj/decoder`'s `createGenerator`.
 *
 * @internal
 */
export async function chatPipeline(context: FactoryContext): Promise<ChatPipeline> {
  const handle = await createGenerator(context.modelId, context.create);
  const call = (messages: readonly ChatMessage[], options?: ChatPipelineCallOptions) => handle.chat(messages, options);
  return callable<ChatPipeline>(call, baseOf(context, handle), {
    stream: (messages: readonly ChatMessage[], options?: ChatPipelineCallOptions) => handle.streamChat(messages, options),
  });
}
