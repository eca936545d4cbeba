/** A JSON Schema object, as tool parameters are described. */
export type ToolParameters = { [keyword: string]: unknown };

/**
 * A tool the model may call, in OpenAI's shape (what chat templates receive as `tools`, as
 * `apply_chat_template(tools=...)` passes them).
 *
 * @example
 * const weather: ChatTool = {
 *   type: "function",
 *   function: { name: "get_weather", description: "Current weather of a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
 * };
 */
export interface ChatTool {
  /** Always `"function"`. */
  type: "function";
  /** The function. */
  function: {
    /** Its name: letters, digits, `_` and `-`, at most 64 characters (OpenAI's rule). */
    name: string;
    /** What it does, for the model. */
    description?: string;
    /** Its arguments as a JSON Schema object (none: an empty object). */
    parameters?: ToolParameters;
  };
}

/**
 * Whether and which tool the model calls: `"auto"` (the model chooses, text or calls), `"none"` (text only, the
 * tools still shown to the model), `"required"` (at least one call, constrained so the arguments match the tool's
 * schema), or `{ name }` (a call of that tool, constrained likewise).
 */
export type ToolChoice = "auto" | "none" | "required" | { name: string };

/**
 * A call the model made.
 *
 * @example
 * const [call] = result.toolCalls; // { id: "call_Xb1...", name: "get_weather", arguments: { city: "Paris" } }
 */
export interface ToolCall {
  /** An id to send back with the result (`toolCallId` of the `"tool"` message). */
  id: string;
  /** The tool's name. */
  name: string;
  /** The arguments, parsed from the model's JSON. */
  arguments: Record<string, unknown>;
}

/** Tool options of a chat call. */
export interface ToolOptions {
  /** Tools the model may call, rendered by the model's chat template. */
  tools?: readonly ChatTool[];
  /** Whether and which tool the model calls. @defaultValue "auto" (when tools are given) */
  toolChoice?: ToolChoice;
  /** Allow several calls in one answer (for `"required"` and named choices, whose calls are constrained). @defaultValue true */
  parallelToolCalls?: boolean;
}

/** A piece of a tool call as a chat stream generates it (`TextChunk.toolCallDeltas`); defined in `@proj/core`. */
export type { ToolCallDelta } from "@proj/core";
