import { InputError } from "@proj/core";
import { describeValue } from "@proj/core/internal";
import type { ChatTool, ToolChoice, ToolOptions } from "./types.js";

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Tool options after checking: the tools (none when `toolChoice` is `"none"` and none were given) and the choice. */
export interface CheckedTools {
  /** The tools, as given. */
  tools: readonly ChatTool[];
  /** The choice (`"auto"` by default). */
  choice: ToolChoice;
  /** Whether several calls may come in one answer. */
  parallel: boolean;
}

/**
 * Checks the tool options of a chat call: each tool `{ type: "function", function: { name, description?,
 * parameters? } }` with a unique OpenAI-style name and an object schema; a named `toolChoice` must name one of
 * them, and `"required"` needs at least one. Returns `undefined` when no tools are given (and the choice does not
 * need them). Anything else is an `InputError` naming the field, e.g. `tools[1].function.name`.
 *
 * @example
 * checkTools({ tools: [weather], toolChoice: "required" }); // { tools: [weather], choice: "required", parallel: true }
 */
export function checkTools(options: ToolOptions): CheckedTools | undefined {
  const { tools, toolChoice, parallelToolCalls } = options;
  if (tools !== undefined && !Array.isArray(tools)) throw new InputError(`tools must be an array of tools, got ${describeValue(tools)}`);
  const list = tools ?? [];
  const names = new Set<string>();
  list.forEach((tool: unknown, i) => {
    const t = tool as Partial<ChatTool> | null;
    if (t === null || typeof t !== "object" || t.type !== "function" || t.function === null || typeof t.function !== "object") {
      throw new InputError(
        `tools[${i}] must be { type: "function", function: { name, description?, parameters? } }, got ${describeValue(tool)}`,
      );
    }
    const { name, description, parameters } = t.function;
    if (typeof name !== "string" || !NAME.test(name)) {
      throw new InputError(`tools[${i}].function.name must be 1-64 letters, digits, _ or -, got ${describeValue(name)}`);
    }
    if (names.has(name)) throw new InputError(`tools[${i}].function.name "${name}" is given twice`);
    names.add(name);
    if (description !== undefined && typeof description !== "string") {
      throw new InputError(`tools[${i}].function.description must be a string, got ${describeValue(description)}`);
    }
    if (parameters !== undefined && (parameters === null || typeof parameters !== "object" || Array.isArray(parameters))) {
      throw new InputError(`tools[${i}].function.parameters must be a JSON Schema object, got ${describeValue(parameters)}`);
    }
  });
  if (parallelToolCalls !== undefined && typeof parallelToolCalls !== "boolean") {
    throw new InputError(`parallelToolCalls must be a boolean, got ${describeValue(parallelToolCalls)}`);
  }
  const choice = toolChoice ?? "auto";
  if (typeof choice === "object" && choice !== null) {
    if (typeof choice.name !== "string" || !names.has(choice.name)) {
      throw new InputError(`toolChoice names ${describeValue(choice.name)}, which is not one of the tools`, {
        hint: names.size > 0 ? `one of ${[...names].map((n) => `"${n}"`).join(", ")}` : "pass the tool in tools",
      });
    }
  } else if (choice !== "auto" && choice !== "none" && choice !== "required") {
    throw new InputError(`toolChoice must be "auto", "none", "required" or { name }, got ${describeValue(choice)}`);
  }
  if (choice === "required" && list.length === 0) throw new InputError('toolChoice "required" needs tools', { hint: "pass tools" });
  if (list.length === 0) return undefined;
  return { tools: list, choice, parallel: parallelToolCalls ?? true };
}
