import type { ChatMessage } from "@proj/decoder";
import { badRequest } from "../errors/http-error.js";
import { BodyReader } from "./body-reader.js";

/**
 * Reads `messages` of a chat request: each `{ role, content }` with `content` a string or an array of text parts
 * (`{ type: "text", text }`), checked here so that a wrong field is a 400 naming it (`param`); the parts are passed
 * on as they are, and `@proj/decoder` joins them (`normalizeMessages`), as it does for every caller of `chat()`.
 * Images, audio and tool calls are refused with a 400 naming the message.
 *
 * @example
 * const messages = readMessages(new BodyReader(request.body));
 * // [{ role: "user", content: "Hi!" }]
 */
export function readMessages(body: BodyReader): ChatMessage[] {
  const raw = body.raw("messages");
  if (raw === undefined) throw badRequest('Missing required field "messages"', "messages", "missing_required_parameter");
  if (!Array.isArray(raw) || raw.length === 0) {
    throw badRequest('"messages" must be a non-empty array of { role, content } objects', "messages", "invalid_type");
  }
  return raw.map((value: unknown, i) => {
    const message = new BodyReader(value, `messages[${i}].`);
    const role = message.string("role", true);
    message.refuse("tool_calls", (v) => !Array.isArray(v) || v.length > 0, "this server does not call tools");
    return { role, content: content(message.raw("content"), `messages[${i}].content`) };
  });
}

function content(value: unknown, param: string): ChatMessage["content"] {
  if (typeof value === "string") return value;
  if (value === undefined) throw badRequest(`Missing required field "${param}"`, param, "missing_required_parameter");
  if (!Array.isArray(value)) throw badRequest(`"${param}" must be a string or an array of text parts`, param, "invalid_type");
  return value.map((part: unknown, j) => {
    const p = new BodyReader(part, `${param}[${j}].`);
    const type = p.string("type", true);
    if (type !== "text")
      throw badRequest(
        `"${param}[${j}]" is a ${type} part; this server reads text parts only`,
        `${param}[${j}].type`,
        "unsupported_parameter",
      );
    return { type: "text" as const, text: p.string("text", true) };
  });
}
