import { HERMES } from "./formats/hermes.js";
import { LLAMA3_JSON } from "./formats/llama3.js";
import { MISTRAL } from "./formats/mistral.js";
import type { ToolCallFormat } from "./formats/tool-call-format.js";

/**
 * The tool-call format a chat template teaches its model, read from the template itself: `[TOOL_CALLS]` or
 * `[AVAILABLE_TOOLS]` -> Mistral; `<|python_tag|>`, `ipython` or `"parameters"` with Llama's header tokens -> Llama 3
 * JSON; otherwise Hermes (`<tool_call>`), the convention of Qwen, Hermes and most ChatML models.
 *
 * @example
 * toolCallFormatOf(model.tokenizerConfig?.chatTemplate).name; // "hermes" for Qwen2.5
 */
export function toolCallFormatOf(template: string | undefined): ToolCallFormat {
  const source = template ?? "";
  if (source.includes("[TOOL_CALLS]") || source.includes("[AVAILABLE_TOOLS]")) return MISTRAL;
  if (source.includes("<tool_call>")) return HERMES;
  if (
    source.includes("<|python_tag|>") ||
    source.includes("ipython") ||
    (source.includes("<|start_header_id|>") && source.includes("parameters"))
  ) {
    return LLAMA3_JSON;
  }
  return HERMES;
}
