import { fileFlag } from "./file-flag.js";
import type { ResponseFormat } from "@proj/core";
import { UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import type { Flags, ParsedArgs } from "./flags.js";
import { booleanFlag, stringFlag } from "./values.js";

/** Flags that constrain the generated text to a format (constrained decoding). */
export const RESPONSE_FORMAT_FLAGS: Flags = {
  "json-schema": { type: "string", value: "file", description: "generate JSON valid against this JSON Schema file" },
  "json-object": { type: "boolean", description: "generate any JSON object" },
  regex: { type: "string", value: "pattern", description: "generate text that matches this regular expression" },
  grammar: { type: "string", value: "file", description: "generate text of this EBNF grammar file (root rule: root)" },
};

/**
 * The `responseFormat` the format flags ask for (at most one of them), reading the schema or grammar file relative
 * to the working directory; none gives `{}`. A missing file, a schema that is not JSON, or two formats at once are
 * a {@link UsageError}; a schema keyword the engine cannot enforce is refused by the library with its name.
 *
 * @example
 * const format = await responseFormatOption(args, io, "generate"); // { responseFormat: { type: "json_schema", schema } }
 */
export async function responseFormatOption(args: ParsedArgs, io: CliIO, command: string): Promise<{ responseFormat?: ResponseFormat }> {
  const schemaFile = stringFlag(args, "json-schema");
  const grammarFile = stringFlag(args, "grammar");
  const pattern = stringFlag(args, "regex");
  const object = booleanFlag(args, "json-object");
  const given = [
    schemaFile && "--json-schema",
    grammarFile && "--grammar",
    pattern !== undefined && "--regex",
    object && "--json-object",
  ].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(" and ")} cannot be combined: give one format`, command);
  if (schemaFile !== undefined) {
    const text = (await fileFlag(args, "json-schema", io, command)) as string;
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--json-schema ${schemaFile} is not JSON: ${(error as Error).message}`, command);
    }
    return { responseFormat: { type: "json_schema", schema: schema as Record<string, unknown> } };
  }
  if (grammarFile !== undefined)
    return { responseFormat: { type: "grammar", grammar: (await fileFlag(args, "grammar", io, command)) as string } };
  if (pattern !== undefined) return { responseFormat: { type: "regex", pattern } };
  if (object) return { responseFormat: { type: "json_object" } };
  return {};
}
