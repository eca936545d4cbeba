import type { ChatTool, ToolChoice, ToolOptions } from "@proj/decoder";
import { badRequest } from "../errors/http-error.js";
import { BodyReader } from "./body-reader.js";

/**
 * Reads the tool fields of a chat request in OpenAI's format: `tools` (`[{ type: "function", function: { name,
 * description?, parameters?, strict? } }]`), `tool_choice` (`"auto"`, `"none"`, `"required"`, or `{ type:
 * "function", function: { name } }`) and `parallel_tool_calls`, as `chat()`'s tool options. `strict` is accepted:
 * a required or named call always follows its schema. Shapes are checked here (a 400 naming the field); names,
 * duplicates and schemas are checked by `chat()`, which answers a 400 too.
 *
 * @example
 * const tools = readTools(new BodyReader(request.body));
 * await generator.chat(messages, { ...options, ...tools });
 */
export function readTools(body: BodyReader): ToolOptions {
  const raw = body.raw("tools");
  const options: ToolOptions = {};
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw))
      throw badRequest('"tools" must be an array of { type: "function", function } objects', "tools", "invalid_type");
    if (raw.length > 0) options.tools = raw.map((value: unknown, i) => readTool(new BodyReader(value, `tools[${i}].`), i));
  }
  const choice = readChoice(body);
  if (choice !== undefined) options.toolChoice = choice;
  const parallel = body.boolean("parallel_tool_calls");
  if (parallel !== undefined) options.parallelToolCalls = parallel;
  return options;
}

function readTool(tool: BodyReader, i: number): ChatTool {
  tool.only(["type", "function"], `tools[${i}]`);
  if (tool.string("type", true) !== "function") throw badRequest(`"tools[${i}].type" must be "function"`, `tools[${i}].type`);
  const fn = tool.object("function");
  if (fn === undefined)
    throw badRequest(`Missing required field "tools[${i}].function"`, `tools[${i}].function`, "missing_required_parameter");
  fn.only(["name", "description", "parameters", "strict"], `tools[${i}].function`);
  const name = fn.string("name", true) as string;
  const description = fn.string("description");
  const parameters = fn.raw("parameters");
  fn.boolean("strict");
  if (parameters !== undefined && (parameters === null || typeof parameters !== "object" || Array.isArray(parameters))) {
    throw badRequest(`"tools[${i}].function.parameters" must be a JSON Schema object`, `tools[${i}].function.parameters`, "invalid_type");
  }
  return {
    type: "function",
    function: {
      name,
      ...(description !== undefined ? { description } : {}),
      ...(parameters !== undefined ? { parameters: parameters as Record<string, unknown> } : {}),
    },
  };
}

function readChoice(body: BodyReader): ToolChoice | undefined {
  const raw = body.raw("tool_choice");
  if (raw === undefined || raw === null) return undefined;
  if (raw === "auto" || raw === "none" || raw === "required") return raw;
  const choice = body.object("tool_choice");
  const name = choice?.object("function")?.string("name");
  if (choice === undefined || choice.string("type") !== "function" || name === undefined) {
    throw badRequest('"tool_choice" must be "auto", "none", "required" or { type: "function", function: { name } }', "tool_choice");
  }
  return { name };
}
