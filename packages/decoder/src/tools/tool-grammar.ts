import { jsonSchemaToEbnf } from "@proj/core/internal";
import type { ToolCallFormat } from "./formats/tool-call-format.js";
import type { CheckedTools } from "./check-tools.js";

/**
 * The EBNF grammar that forces tool calls when the choice is `"required"` (any of the tools) or a named tool: the
 * format's markup around call objects `{"name": <the tool>, "<arguments key>": <its parameter schema>}`, so every
 * call's arguments validate against its tool's schema. `undefined` for `"auto"` and `"none"`, which are not
 * constrained. A parameter schema with a keyword constrained decoding cannot enforce is an `InputError` naming it.
 *
 * @example
 * const grammar = toolCallGrammar(HERMES, { tools: [weather], choice: "required", parallel: false });
 * await generator.chat(messages, { responseFormat: { type: "grammar", grammar } });
 */
export function toolCallGrammar(format: ToolCallFormat, checked: CheckedTools): string | undefined {
  const { choice } = checked;
  if (choice === "auto" || choice === "none") return undefined;
  const tools = typeof choice === "object" ? checked.tools.filter((t) => t.function.name === choice.name) : checked.tools;
  const branches = tools.map((t) => ({
    type: "object",
    properties: {
      name: { const: t.function.name },
      [format.argumentsKey]: t.function.parameters ?? { type: "object", properties: {} },
    },
    required: ["name", format.argumentsKey],
    additionalProperties: false,
  }));
  const schema = branches.length === 1 ? branches[0] : { anyOf: branches };
  const call = jsonSchemaToEbnf(schema as Record<string, unknown>, "tools").replace(/^root ::= /, "tool_call_object ::= ");
  return `${format.grammar("tool_call_object", checked.parallel)}\n${call}`;
}
