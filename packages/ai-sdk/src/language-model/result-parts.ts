import type { LanguageModelV3FinishReason, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { GenerationResult } from "@proj/core";
import type { ChatResult } from "@proj/decoder";

/**
 * @proj's finish reason as the AI SDK's: an answer that made tool calls is `"tool-calls"`; `"stop"` (end of
 * sequence, a stop string, the end of a constrained format) and `"length"` map one to one; `"abort"` (the call's
 * signal fired) is `"other"`, its raw value kept.
 *
 * @example
 * finishReasonOf({ finishReason: "length", toolCalls: [] }); // { unified: "length", raw: "length" }
 */
export function finishReasonOf(result: Pick<ChatResult, "finishReason" | "toolCalls">): LanguageModelV3FinishReason {
  const reason = result.finishReason;
  if (result.toolCalls.length > 0 && reason === "stop") return { unified: "tool-calls", raw: "tool_calls" };
  return { unified: reason === "abort" ? "other" : reason, raw: reason };
}

/**
 * The token counts of a generation as the AI SDK's usage: prompt tokens, of them those read from the generator's
 * prefix cache (`cacheRead`) and those computed (`noCache`), and generated tokens (all text: no reasoning tokens are
 * told apart). Cache writes are not counted (every prompt's blocks are kept).
 *
 * @example
 * usageOf(result.metrics); // { inputTokens: { total: 80, noCache: 16, cacheRead: 64, ... }, outputTokens: { total: 20, text: 20, ... } }
 */
export function usageOf(metrics: GenerationResult["metrics"]): LanguageModelV3Usage {
  const cached = metrics.cachedTokens;
  return {
    inputTokens: {
      total: metrics.promptTokens,
      noCache: cached === undefined ? undefined : metrics.promptTokens - cached,
      cacheRead: cached,
      cacheWrite: undefined,
    },
    outputTokens: { total: metrics.generatedTokens, text: metrics.generatedTokens, reasoning: undefined },
  };
}
