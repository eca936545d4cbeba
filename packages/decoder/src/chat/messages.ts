import { InputError } from "@proj/core";
import { describeValue } from "@proj/core/internal";
import type { ToolCall } from "../tools/types.js";

/** A text part of a message's content, as OpenAI's chat API sends it. */
export interface ChatTextPart {
  /** Always `"text"`: images, audio and other parts are refused. */
  type: "text";
  /** The text. */
  text: string;
}

/** One message of a conversation. */
export interface ChatMessage {
  /** Who speaks: `"system"`, `"user"`, `"assistant"`, `"tool"` (or a role the template knows). */
  role: string;
  /**
   * What is said: text, or OpenAI-style text parts (`[{ type: "text", text: "..." }]`), joined in order; `null`
   * only for an assistant message that made tool calls and said nothing.
   */
  content: string | readonly ChatTextPart[] | null;
  /** The tool calls an assistant message made (from a previous {@link ChatResult}'s `toolCalls`). */
  toolCalls?: readonly ToolCall[];
  /** For a `"tool"` message: the id of the call whose result it carries. */
  toolCallId?: string;
  /** For a `"tool"` message: the tool's name (templates such as Llama 3's and Mistral's read it). */
  name?: string;
}

/**
 * A message as chat templates render it: content as one string, and tool calls and results in the shape
 * `apply_chat_template` passes them (`tool_calls: [{ id, type: "function", function: { name, arguments } }]`,
 * `tool_call_id`, `name`).
 */
export interface RenderedMessage {
  /** Who speaks. */
  role: string;
  /** What is said. */
  content: string;
  /** The assistant's tool calls, arguments as objects (templates write them with `tojson`). */
  tool_calls?: Array<{ id: string; type: "function"; function: { name: string; arguments: Record<string, unknown> } }>;
  /** The call a tool result answers. */
  tool_call_id?: string;
  /** The tool's name, on a tool result. */
  name?: string;
}

/** Chat template options of {@link chat}. */
export interface ChatOptions {
  /** A Jinja chat template to use instead of the model's own (`chat_template` of tokenizer_config.json). */
  chatTemplate?: string;
  /** Extra variables for the template (tools, dates ...). */
  templateVariables?: Record<string, unknown>;
}

/**
 * Checks a conversation and joins each message's text parts into one string: the one reading of chat messages, for
 * the library, the remote generator and `@proj/server`. A message must be `{ role: string, content }` with content a
 * string or an array of `{ type: "text", text: string }` parts; anything else (an image part, a missing role) is an
 * `InputError` naming the message, e.g. `messages[1].content[0]`.
 *
 * @example
 * normalizeMessages([{ role: "user", content: [{ type: "text", text: "Hi " }, { type: "text", text: "there" }] }]);
 * // [{ role: "user", content: "Hi there" }]
 */
export function normalizeMessages(messages: unknown): RenderedMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InputError(`Expected a non-empty array of chat messages, got ${describeValue(messages)}`, {
      hint: 'pass [{ role: "user", content: "..." }]',
    });
  }
  return messages.map((value: unknown, i) => {
    const m = value as { role?: unknown; content?: unknown; toolCalls?: unknown; toolCallId?: unknown; name?: unknown } | null;
    if (m === null || typeof m !== "object" || typeof m.role !== "string" || m.content === undefined) {
      throw new InputError(`messages[${i}] must be { role: string, content: string | text parts }, got ${describeValue(value)}`);
    }
    const rendered: RenderedMessage = { role: m.role, content: "" };
    if (m.toolCalls !== undefined) rendered.tool_calls = toolCallsOf(m.toolCalls, `messages[${i}].toolCalls`);
    if (m.content !== null || rendered.tool_calls === undefined) rendered.content = contentText(m.content, `messages[${i}].content`);
    if (m.toolCallId !== undefined) {
      if (typeof m.toolCallId !== "string")
        throw new InputError(`messages[${i}].toolCallId must be a string, got ${describeValue(m.toolCallId)}`);
      rendered.tool_call_id = m.toolCallId;
    }
    if (m.name !== undefined) {
      if (typeof m.name !== "string") throw new InputError(`messages[${i}].name must be a string, got ${describeValue(m.name)}`);
      rendered.name = m.name;
    }
    return rendered;
  });
}

function toolCallsOf(value: unknown, where: string): NonNullable<RenderedMessage["tool_calls"]> {
  if (!Array.isArray(value)) throw new InputError(`${where} must be an array of { id, name, arguments }, got ${describeValue(value)}`);
  return value.map((call: unknown, j) => {
    const c = call as Partial<ToolCall> | null;
    if (c === null || typeof c !== "object" || typeof c.id !== "string" || typeof c.name !== "string") {
      throw new InputError(`${where}[${j}] must be { id: string, name: string, arguments: object }, got ${describeValue(call)}`);
    }
    if (c.arguments === null || typeof c.arguments !== "object" || Array.isArray(c.arguments)) {
      throw new InputError(`${where}[${j}].arguments must be an object, got ${describeValue(c.arguments)}`);
    }
    return { id: c.id, type: "function" as const, function: { name: c.name, arguments: c.arguments } };
  });
}

function contentText(content: unknown, where: string): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) {
    throw new InputError(`${where} must be a string or an array of text parts, got ${describeValue(content)}`, {
      hint: 'pass "..." or [{ type: "text", text: "..." }]',
    });
  }
  return content
    .map((part: unknown, j) => {
      const p = part as { type?: unknown; text?: unknown } | null;
      if (p === null || typeof p !== "object" || typeof p.type !== "string") {
        throw new InputError(`${where}[${j}] must be { type: "text", text: string }, got ${describeValue(part)}`);
      }
      if (p.type !== "text") {
        throw new InputError(`${where}[${j}] is a ${p.type} part; only text parts can be read`, {
          hint: "send the text of the message; images, audio and files are not supported",
        });
      }
      if (typeof p.text !== "string") throw new InputError(`${where}[${j}].text must be a string, got ${describeValue(p.text)}`);
      return p.text;
    })
    .join("");
}
