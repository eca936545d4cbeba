import { TextStream } from "@proj/core";
import { chainTokenCallbacks, checkOptions } from "@proj/core/internal";
import { CHAT_OPTION_NAMES } from "../generate/option-names.js";
import type { ChatCallOptions } from "../generate/types.js";
import { DEFAULT_CHAT_MODEL } from "../shared/defaults.js";
import { generatorFor } from "../shared/generators.js";
import type { ChatResult } from "../tools/tool-chat.js";
import type { ChatMessage } from "./messages.js";

/**
 * Answers a conversation with an instruction-tuned model, rendering it with the model's own chat template.
 * Message content may be text or OpenAI-style text parts. Throws an InputError when the model has no chat template,
 * a TemplateError when the template refuses the conversation.
 *
 * @example
 * const { text } = await chat([
 *   { role: "system", content: "You are concise." },
 *   { role: "user", content: "What is ONNX?" },
 * ], { maxNewTokens: 64 });
 */
export async function chat(messages: readonly ChatMessage[], options?: ChatCallOptions): Promise<ChatResult> {
  const { model, load, ...call } = checkOptions(options, "chat()", CHAT_OPTION_NAMES);
  const generator = await generatorFor("chat", model, DEFAULT_CHAT_MODEL, load, call.signal);
  return generator.chat(messages, call);
}

/**
 * Streams the answer to a conversation.
 *
 * @example
 * for await (const { text } of streamChat([{ role: "user", content: "Tell me a story" }])) process.stdout.write(text);
 */
export function streamChat(messages: readonly ChatMessage[], options?: ChatCallOptions): TextStream<ChatResult> {
  const { model, load, ...call } = checkOptions(options, "streamChat()", CHAT_OPTION_NAMES);
  return new TextStream<ChatResult>(async (onToken) => {
    const generator = await generatorFor("streamChat", model, DEFAULT_CHAT_MODEL, load, call.signal);
    return generator.chat(messages, { ...call, onToken: chainTokenCallbacks(call.onToken, onToken) });
  });
}
