import type { LogitsProcessor } from "./logits-processor.js";

const NEG = Number.NEGATIVE_INFINITY;

/**
 * Forbids the end-of-sequence tokens until `minNewTokens` tokens are generated.
 *
 * @example
 * minNewTokens(5, [50256])(logits, state);
 */
export function minNewTokens(min: number, eosTokenIds: readonly number[]): LogitsProcessor {
  return (logits, state) => {
    if (state.generatedLength < min) for (const id of eosTokenIds) logits[id] = NEG;
  };
}

/**
 * Forbids tokens always (`suppressTokens`) or only as the first generated token (`beginSuppressTokens`).
 *
 * @example
 * suppressTokens([220], "first")(logits, state);
 */
export function suppressTokens(tokens: readonly number[], when: "always" | "first"): LogitsProcessor {
  return (logits, state) => {
    if (when === "first" && state.generatedLength !== 0) return;
    for (const id of tokens) logits[id] = NEG;
  };
}

/**
 * Forces a token at one generated position: the first (`forced_bos_token_id`) or the last allowed
 * (`forced_eos_token_id` at `maxNewTokens - 1`).
 *
 * @example
 * forcedToken(0, 0)(logits, state); // BART's forced BOS
 */
export function forcedToken(token: number, position: number): LogitsProcessor {
  return (logits, state) => {
    if (state.generatedLength !== position) return;
    logits.fill(NEG);
    logits[token] = 0;
  };
}
