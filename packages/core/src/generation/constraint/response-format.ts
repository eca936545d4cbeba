import { InputError } from "../../errors.js";

/** A JSON Schema (draft 2020-12 subset; see the JSON-Schema compiler for the keywords it takes). */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

/**
 * What the generated text must be. The output is constrained token by token, so it always matches (or is cut by
 * `maxNewTokens`, finish reason `"length"`):
 * - `{ type: "json_schema", schema }`: JSON that validates against the schema (keywords the engine cannot enforce are
 *   refused with an `InputError` naming them, never ignored);
 * - `{ type: "json_object" }`: any JSON object;
 * - `{ type: "regex", pattern }`: text that matches the regular expression whole;
 * - `{ type: "grammar", grammar }`: text of an EBNF grammar (XGrammar's dialect, GBNF-like, root rule `root`);
 * - `{ type: "text" }`: no constraint.
 */
export type ResponseFormat =
  | { type: "json_schema"; schema: JsonSchema }
  | { type: "json_object" }
  | { type: "regex"; pattern: string }
  | { type: "grammar"; grammar: string }
  | { type: "text" };

const TYPES = ["json_schema", "json_object", "regex", "grammar", "text"] as const;

/**
 * Checks a `responseFormat` option's shape and returns it, or `undefined` for none (`{ type: "text" }` included).
 * Throws `InputError` naming what is wrong.
 *
 * @example
 * checkResponseFormat({ type: "regex", pattern: "[0-9]+" }); // the same object
 */
export function checkResponseFormat(value: unknown): Exclude<ResponseFormat, { type: "text" }> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(`responseFormat must be an object like { type: "json_schema", schema }, got ${describe(value)}`);
  }
  const format = value as { type?: unknown; [key: string]: unknown };
  if (!TYPES.includes(format.type as (typeof TYPES)[number])) {
    throw new InputError(`responseFormat.type must be one of ${TYPES.map((t) => `"${t}"`).join(", ")}, got ${describe(format.type)}`);
  }
  const allowed: Record<(typeof TYPES)[number], string[]> = {
    json_schema: ["type", "schema"],
    json_object: ["type"],
    regex: ["type", "pattern"],
    grammar: ["type", "grammar"],
    text: ["type"],
  };
  const type = format.type as (typeof TYPES)[number];
  for (const key of Object.keys(format)) {
    if (!allowed[type].includes(key))
      throw new InputError(`responseFormat of type "${type}" takes no field "${key}" (it takes ${allowed[type].join(", ")})`);
  }
  switch (type) {
    case "text":
      return undefined;
    case "json_schema":
      if (
        typeof format.schema !== "boolean" &&
        (format.schema === null || typeof format.schema !== "object" || Array.isArray(format.schema))
      ) {
        throw new InputError(`responseFormat.schema must be a JSON Schema object, got ${describe(format.schema)}`);
      }
      return { type, schema: format.schema as JsonSchema };
    case "regex":
      if (typeof format.pattern !== "string" || format.pattern === "")
        throw new InputError(`responseFormat.pattern must be a non-empty string, got ${describe(format.pattern)}`);
      return { type, pattern: format.pattern };
    case "grammar":
      if (typeof format.grammar !== "string" || format.grammar.trim() === "")
        throw new InputError(`responseFormat.grammar must be a non-empty EBNF string, got ${describe(format.grammar)}`);
      return { type, grammar: format.grammar };
    default:
      return { type: "json_object" };
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value;
}
