import {
  type LanguageModelV3CallOptions,
  type LanguageModelV3ToolResultOutput,
  type SharedV3Warning,
  UnsupportedFunctionalityError,
} from "@ai-sdk/provider";
import type { ChatTool, ToolOptions } from "@proj/decoder";

/**
 * The AI SDK's tools and tool choice as `chat()`'s: function tools in OpenAI's shape (their `inputSchema` as the
 * parameters), `{ type: "tool", toolName }` as a named choice. Provider-defined tools (a provider's own server-side
 * tools) cannot run locally and are refused.
 *
 * @example
 * toolOptions({ prompt, tools: [{ type: "function", name: "f", inputSchema: { type: "object" } }], toolChoice: { type: "required" } });
 * // { tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }], toolChoice: "required" }
 */
export function toolOptions(call: LanguageModelV3CallOptions, warnings: SharedV3Warning[]): ToolOptions {
  if (call.tools === undefined || call.tools.length === 0) return {};
  const tools: ChatTool[] = call.tools.map((tool) => {
    if (tool.type !== "function") {
      throw new UnsupportedFunctionalityError({
        functionality: `provider tool ${tool.id}`,
        message: `${tool.id} is a provider-defined tool; @proj runs models locally and calls function tools only`,
      });
    }
    if (tool.strict === false)
      warnings.push({ type: "other", message: `tool ${tool.name}: a required or named call always follows its schema exactly` });
    return {
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.inputSchema as Record<string, unknown>,
      },
    };
  });
  const choice = call.toolChoice;
  const toolChoice = choice === undefined ? "auto" : choice.type === "tool" ? { name: choice.toolName } : choice.type;
  return { tools, toolChoice };
}

/**
 * The text a tool result gives the model back: text as it is, JSON (and error JSON) as JSON text, a denied call
 * as its reason, content parts as their text.
 *
 * @example
 * toolResultText({ type: "json", value: { temperature: 21 } }); // '{"temperature":21}'
 */
export function toolResultText(output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case "text":
    case "error-text":
      return output.value;
    case "json":
    case "error-json":
      return JSON.stringify(output.value);
    case "execution-denied":
      return output.reason ?? "The tool call was denied.";
    case "content":
      return output.value.map((part) => (part.type === "text" ? part.text : "")).join("");
  }
}
