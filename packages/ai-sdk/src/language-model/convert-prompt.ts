import { InvalidPromptError, type LanguageModelV3Prompt, UnsupportedFunctionalityError } from "@ai-sdk/provider";
import type { ChatMessage } from "@proj/decoder";

/**
 * The AI SDK's prompt as the chat messages `@proj/decoder`'s `chat()` renders with the model's template: system,
 * user and assistant text (the text parts of a message joined in order; reasoning parts of earlier assistant turns
 * are left out, as chat templates do). Files, images, tool calls and tool results are refused with the AI SDK's
 * `UnsupportedFunctionalityError`: nothing is dropped silently.
 *
 * @example
 * toChatMessages([{ role: "user", content: [{ type: "text", text: "Hi" }] }]); // [{ role: "user", content: "Hi" }]
 */
export function toChatMessages(prompt: LanguageModelV3Prompt): ChatMessage[] {
  return prompt.map((message, i): ChatMessage => {
    switch (message.role) {
      case "system":
        return { role: "system", content: message.content };
      case "user":
      case "assistant": {
        const texts: string[] = [];
        for (const part of message.content) {
          if (part.type === "text") texts.push(part.text);
          else if (part.type !== "reasoning") {
            throw new UnsupportedFunctionalityError({
              functionality: `${part.type} parts`,
              message: `prompt[${i}] (${message.role}) has a ${part.type} part; @proj's language models read text only`,
            });
          }
        }
        return { role: message.role, content: texts.join("") };
      }
      case "tool":
        throw new UnsupportedFunctionalityError({
          functionality: "tool messages",
          message: `prompt[${i}] is a tool message; @proj's language models do not call tools yet`,
        });
      default:
        throw new InvalidPromptError({ prompt, message: `prompt[${i}] has an unknown role` });
    }
  });
}

/**
 * The plain prompt of a model without a chat template: the text of a prompt that is one user message (what
 * `generateText({ prompt: "..." })` sends). A conversation (a system message, several turns) cannot be written as
 * one continuation without a template, so it is refused with a hint to give the model one.
 *
 * @example
 * toCompletionPrompt([{ role: "user", content: [{ type: "text", text: "Once upon a time" }] }], "gpt2"); // "Once upon a time"
 */
export function toCompletionPrompt(prompt: LanguageModelV3Prompt, modelId: string): string {
  const messages = toChatMessages(prompt);
  const [only] = messages;
  if (messages.length !== 1 || only?.role !== "user") {
    throw new InvalidPromptError({
      prompt,
      message:
        `${modelId} has no chat template, so it continues one plain prompt; this prompt has ` +
        `${messages.map((m) => m.role).join(", ")} messages. Pass { prompt: "..." }, or give the model a template: ` +
        'proj.languageModel(id, { chatTemplate: "..." })',
    });
  }
  return only.content as string;
}
