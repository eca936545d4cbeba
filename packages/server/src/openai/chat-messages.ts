import { type ChatMessage, type ToolCall, toolArguments } from "@proj/decoder";
import { badRequest } from "../errors/http-error.js";
import { BodyReader } from "./body-reader.js";

/**
 * Reads `messages` of a chat request: each `{ role, content }` with `content` a string or an array of text parts
 * (`{ type: "text", text }`), checked here so that a wrong field is a 400 naming it (`param`); the parts are passed
 * on as they are, and `@proj/decoder` joins them (`normalizeMessages`), as it does for every caller of `chat()`.
 * An assistant message's `tool_calls` and a tool message's `tool_call_id` and `name` go to the template as
 * `chat()` takes them. Images and audio are refused with a 400 naming the message.
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
    const role = message.string("role", true) as string;
    const toolCalls = readToolCalls(message, `messages[${i}].tool_calls`);
    const text = message.raw("content");
    const read: ChatMessage = {
      role,
      content: (text === null || text === undefined) && toolCalls !== undefined ? null : content(text, `messages[${i}].content`),
    };
    if (toolCalls !== undefined) read.toolCalls = toolCalls;
    const toolCallId = message.string("tool_call_id");
    if (toolCallId !== undefined) read.toolCallId = toolCallId;
    const name = message.string("name");
    if (name !== undefined) read.name = name;
    return read;
  });
}

/** An assistant message's `tool_calls` (OpenAI's shape, arguments as JSON text) as `chat()` takes them. */
function readToolCalls(message: BodyReader, param: string): ToolCall[] | undefined {
  const raw = message.raw("tool_calls");
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw badRequest(`"${param}" must be an array of tool calls`, param, "invalid_type");
  if (raw.length === 0) return undefined;
  return raw.map((value: unknown, j) => {
    const call = new BodyReader(value, `${param}[${j}].`);
    const id = call.string("id", true) as string;
    const fn = call.object("function");
    const name = fn?.string("name", true);
    const parsed = toolArguments(fn?.string("arguments") ?? "{}");
    if (!parsed)
      throw badRequest(`"${param}[${j}].function.arguments" must be JSON text of an object`, `${param}[${j}].function.arguments`);
    if (name === undefined) {
      throw badRequest(`"${param}[${j}]" must be { id, type: "function", function: { name, arguments } }`, `${param}[${j}]`);
    }
    return { id, name, arguments: parsed };
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
