import type { ToolCall } from "../types.js";

/** A call as a format writes it, before an id is given. */
export type ParsedCall = Omit<ToolCall, "id">;

/** What a format reads out of a model's answer. */
export interface ParsedAnswer {
  /**
   * The text outside the calls: what came before the first call as it was (so it equals what a stream showed), then
   * the text after the calls, trimmed; the whole answer when there is no call.
   */
  content: string;
  /** The calls, in order. */
  calls: ParsedCall[];
}

/**
 * How one family of chat models writes tool calls: how to read them out of an answer, the EBNF (XGrammar's dialect,
 * root rule `root`) that forces calls when the choice is `"required"` or a named tool, and where a call starts, so a
 * stream can hold text back from there.
 */
export interface ToolCallFormat {
  /** The format's name, e.g. `"hermes"`. */
  readonly name: string;
  /** The text a call starts with (e.g. `"<tool_call>"`); streamed text is held back from its first character on. */
  readonly start: string;
  /** Reads the calls and the remaining text out of an answer; text that does not parse as a call stays text. */
  parse(text: string): ParsedAnswer;
  /**
   * The EBNF of one or more calls (or exactly one when `parallel` is false) whose JSON object is `call` (an EBNF
   * rule name for `{"name": ..., "arguments": {...}}` in the format's key names).
   */
  grammar(call: string, parallel: boolean): string;
  /** The key of the arguments object in this format's JSON (`"arguments"`, or `"parameters"` for Llama 3). */
  readonly argumentsKey: "arguments" | "parameters";
  /** A new call id in the form the family's templates expect. */
  newId(): string;
  /** Where calls sit in an answer, for reading them as they stream. */
  readonly layout: CallLayout;
}

/**
 * Where a format's call objects sit in an answer: `"tagged"`, each after an opening tag, anything between them
 * (Hermes); `"leading"`, the answer itself, after an optional prefix, calls joined by a separator (Llama 3 JSON);
 * `"list"`, after a marker, a JSON array of calls or one call (Mistral).
 */
export type CallLayout =
  | { kind: "tagged"; open: string }
  | { kind: "leading"; prefix: string; separator: string }
  | { kind: "list"; marker: string };

/**
 * Reads one call object `{ name, <argumentsKey>: {...} }` out of parsed JSON, or `undefined` when it is not one.
 *
 * @example
 * callOf({ name: "f", arguments: { x: 1 } }, "arguments"); // { name: "f", arguments: { x: 1 } }
 */
export function callOf(value: unknown, argumentsKey: string): ParsedCall | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const object = value as Record<string, unknown>;
  const args = object[argumentsKey] ?? object.arguments ?? object.parameters ?? {};
  if (typeof object.name !== "string" || object.name === "") return undefined;
  const parsedArgs = toolArguments(args);
  return parsedArgs && { name: object.name, arguments: parsedArgs };
}

/**
 * A tool call's arguments as an object: given as an object, or as JSON text of one (OpenAI's wire form; `""` is `{}`);
 * `undefined` when they are neither. Each caller says what that means in its own error.
 *
 * @example
 * toolArguments('{"city":"Paris"}'); // { city: "Paris" }
 * toolArguments("[1, 2]"); // undefined
 */
export function toolArguments(value: unknown): Record<string, unknown> | undefined {
  const parsed = typeof value === "string" ? (value === "" ? {} : parseJson(value)) : value;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  return parsed as Record<string, unknown>;
}

/**
 * `JSON.parse`, or `undefined` for text that is not JSON.
 *
 * @example
 * parseJson('{"a":1}'); // { a: 1 }
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A random alphanumeric string (call ids).
 *
 * @example
 * randomId(9); // "aZ3kP0qLm"
 */
export function randomId(length: number): string {
  let id = "";
  for (let i = 0; i < length; i++) id += ALPHANUMERIC[Math.floor(Math.random() * ALPHANUMERIC.length)];
  return id;
}
