import type { GenerateOptions, GenerationResult } from "../generate/options.js";
import { checkOptions } from "../shared/check-options.js";
import { DEFAULT_CHAT_MODEL } from "../shared/defaults.js";
import { generatorFor } from "../shared/generators.js";
import { GenerationStream } from "../stream/generation-stream.js";
import type { ChatMessage, ChatOptions } from "./template.js";

/** Options of {@link chat}. */
export type ChatCallOptions = GenerateOptions & ChatOptions;

/**
 * Answers a conversation with an instruction-tuned model, rendering it with the model's own chat template.
 * Throws an InputError when the model has no chat template.
 *
 * @example
 * const { text } = await chat([
 *   { role: "system", content: "You are concise." },
 *   { role: "user", content: "What is ONNX?" },
 * ], { maxNewTokens: 64 });
 */
export async function chat(messages: readonly ChatMessage[], options: ChatCallOptions = {}): Promise<GenerationResult> {
  checkOptions(options, "chat");
  const { model = DEFAULT_CHAT_MODEL, load, ...call } = options;
  const generator = await generatorFor(model, load, call.signal);
  return generator.chat(messages, call);
}

/**
 * Streams the answer to a conversation.
 *
 * @example
 * for await (const { text } of streamChat([{ role: "user", content: "Tell me a story" }])) process.stdout.write(text);
 */
export function streamChat(messages: readonly ChatMessage[], options: ChatCallOptions = {}): GenerationStream {
  checkOptions(options, "streamChat");
  const { model = DEFAULT_CHAT_MODEL, load, ...call } = options;
  return new GenerationStream(async (onToken) => {
    const generator = await generatorFor(model, load, call.signal);
    return generator.chat(messages, { ...call, onToken });
  });
}
