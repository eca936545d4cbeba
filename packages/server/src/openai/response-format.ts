import type { ResponseFormat } from "@proj/decoder";
import { ebnfLiteral } from "@proj/core/internal";
import { badRequest } from "../errors/http-error.js";
import type { BodyReader } from "./body-reader.js";

/** The request fields that constrain the output; at most one of them per request. */
const FIELDS = ["response_format", "guided_json", "guided_regex", "guided_grammar", "guided_choice"] as const;

/**
 * Reads what the output must be: OpenAI's `response_format` (`{ type: "text" }`, `{ type: "json_object" }`,
 * `{ type: "json_schema", json_schema: { name, schema, strict } }`; the schema is always enforced, `strict` or not)
 * or vLLM's `guided_json` (a schema, object or JSON text), `guided_regex`, `guided_grammar` (EBNF) and `guided_choice`
 * (one of some strings). `undefined` for plain text. A wrong shape, or two of these fields at once, is a 400 naming
 * the field; a schema keyword the engine cannot enforce is refused later, by the engine (400 too).
 *
 * @example
 * readResponseFormat(new BodyReader({ response_format: { type: "json_object" } })); // { type: "json_object" }
 */
export function readResponseFormat(body: BodyReader): ResponseFormat | undefined {
  const present = FIELDS.filter((f) => body.raw(f) !== undefined);
  if (present.length > 1) throw badRequest(`Use one of ${present.map((f) => `"${f}"`).join(" and ")}, not both`, present[1] ?? null);
  switch (present[0]) {
    case "response_format":
      return openAiFormat(body.object("response_format") as BodyReader);
    case "guided_json":
      return { type: "json_schema", schema: schemaOf(body.raw("guided_json"), "guided_json") };
    case "guided_regex":
      return { type: "regex", pattern: nonEmpty(body.string("guided_regex"), "guided_regex") };
    case "guided_grammar":
      return { type: "grammar", grammar: nonEmpty(body.string("guided_grammar"), "guided_grammar") };
    case "guided_choice": {
      const choices = body.strings("guided_choice", 1024);
      if (!choices || choices.length === 0 || choices.some((c) => c === "")) {
        throw badRequest('"guided_choice" must be a non-empty array of non-empty strings', "guided_choice", "invalid_type");
      }
      return { type: "grammar", grammar: `root ::= ${choices.map(ebnfLiteral).join(" | ")}` };
    }
    default:
      return undefined;
  }
}

function openAiFormat(format: BodyReader): ResponseFormat | undefined {
  const type = format.string("type", true);
  switch (type) {
    case "text":
      return undefined;
    case "json_object":
      return { type: "json_object" };
    case "json_schema": {
      const spec = format.object("json_schema");
      if (!spec)
        throw badRequest(
          'Missing required field "response_format.json_schema"',
          "response_format.json_schema",
          "missing_required_parameter",
        );
      spec.string("name");
      spec.boolean("strict");
      return { type: "json_schema", schema: schemaOf(spec.raw("schema") ?? {}, "response_format.json_schema.schema") };
    }
    default:
      throw badRequest(
        `"response_format.type" must be "text", "json_object" or "json_schema", got ${JSON.stringify(type)}`,
        "response_format.type",
        "invalid_value",
      );
  }
}

function schemaOf(value: unknown, field: string): { [keyword: string]: unknown } | boolean {
  let schema = value;
  if (typeof schema === "string") {
    try {
      schema = JSON.parse(schema);
    } catch {
      throw badRequest(`"${field}" is not valid JSON`, field, "invalid_type");
    }
  }
  if (typeof schema === "boolean") return schema;
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) {
    throw badRequest(`"${field}" must be a JSON Schema object`, field, "invalid_type");
  }
  return schema as { [keyword: string]: unknown };
}

function nonEmpty(value: string | undefined, field: string): string {
  if (!value) throw badRequest(`"${field}" must be a non-empty string`, field, "invalid_type");
  return value;
}
