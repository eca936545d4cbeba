import { InputError } from "@proj/core";
import { describeValue } from "@proj/core/internal";

/** A text part of a message's content, as OpenAI's chat API sends it. */
export interface ChatTextPart {
  /** Always `"text"`: images, audio and other parts are refused. */
  type: "text";
  /** The text. */
  text: string;
}

/** One message of a conversation. */
export interface ChatMessage {
  /** Who speaks: `"system"`, `"user"`, `"assistant"` (or a role the template knows). */
  role: string;
  /** What is said: text, or OpenAI-style text parts (`[{ type: "text", text: "..." }]`), joined in order. */
  content: string | readonly ChatTextPart[];
}

/** A message with its content as one string: what chat templates render. */
export interface RenderedMessage {
  /** Who speaks. */
  role: string;
  /** What is said. */
  content: string;
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
    const m = value as { role?: unknown; content?: unknown } | null;
    if (m === null || typeof m !== "object" || typeof m.role !== "string" || m.content === undefined) {
      throw new InputError(`messages[${i}] must be { role: string, content: string | text parts }, got ${describeValue(value)}`);
    }
    return { role: m.role, content: contentText(m.content, `messages[${i}].content`) };
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
