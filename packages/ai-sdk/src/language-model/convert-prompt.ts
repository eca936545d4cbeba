import { InvalidPromptError, type LanguageModelV3Prompt, UnsupportedFunctionalityError } from "@ai-sdk/provider";
import { type ChatMessage, type ToolCall, toolArguments } from "@proj/decoder";
import { toolResultText } from "./tools.js";

/**
 * The AI SDK's prompt as the chat messages `@proj/decoder`'s `chat()` renders with the model's template: system,
 * user and assistant text (the text parts of a message joined in order; reasoning parts of earlier assistant turns
 * are left out, as chat templates do), the assistant's tool calls and the tool results (one `"tool"` message per
 * result). Files and images are refused with the AI SDK's `UnsupportedFunctionalityError`: nothing is dropped
 * silently.
 *
 * @example
 * toChatMessages([{ role: "user", content: [{ type: "text", text: "Hi" }] }]); // [{ role: "user", content: "Hi" }]
 */
export function toChatMessages(prompt: LanguageModelV3Prompt): ChatMessage[] {
  return prompt.flatMap((message, i): ChatMessage | ChatMessage[] => {
    switch (message.role) {
      case "system":
        return { role: "system", content: message.content };
      case "user":
      case "assistant": {
        const texts: string[] = [];
        const toolCalls: ToolCall[] = [];
        for (const part of message.content) {
          if (part.type === "text") texts.push(part.text);
          else if (part.type === "tool-call")
            toolCalls.push({ id: part.toolCallId, name: part.toolName, arguments: callInput(part.input, i) });
          else if (part.type !== "reasoning" && part.type !== "tool-result") {
            throw new UnsupportedFunctionalityError({
              functionality: `${part.type} parts`,
              message: `prompt[${i}] (${message.role}) has a ${part.type} part; @proj's language models read text only`,
            });
          }
        }
        const content = texts.join("");
        if (toolCalls.length > 0) return { role: message.role, content: content === "" ? null : content, toolCalls };
        return { role: message.role, content };
      }
      case "tool": {
        const [result, ...more] = message.content.filter((part) => part.type === "tool-result");
        if (result === undefined) throw new InvalidPromptError({ prompt, message: `prompt[${i}] is a tool message without a tool result` });
        if (more.length > 0) return expandToolResults(message.content, i, prompt);
        return { role: "tool", toolCallId: result.toolCallId, name: result.toolName, content: toolResultText(result.output) };
      }
      default:
        throw new InvalidPromptError({ prompt, message: `prompt[${i}] has an unknown role` });
    }
  });
}

/** One `"tool"` message per result, as chat templates take them, when the AI SDK sends several in one message. */
function expandToolResults(content: LanguageModelV3Prompt[number]["content"], i: number, prompt: LanguageModelV3Prompt): ChatMessage[] {
  if (typeof content === "string") throw new InvalidPromptError({ prompt, message: `prompt[${i}] is a tool message without results` });
  return content.flatMap((part) =>
    part.type === "tool-result"
      ? [{ role: "tool", toolCallId: part.toolCallId, name: part.toolName, content: toolResultText(part.output) }]
      : [],
  );
}

/** A tool call's input as the arguments object chat templates write (the AI SDK passes it parsed, or as JSON text). */
function callInput(input: unknown, i: number): Record<string, unknown> {
  const value = toolArguments(input);
  if (!value) throw new InvalidPromptError({ prompt: input, message: `prompt[${i}] has a tool call whose input is not an object` });
  return value;
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
