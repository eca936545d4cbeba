import type { LogitsProcessor } from "./logits-processor.js";

/**
 * OpenAI's presence and frequency penalties over the generated tokens:
 * `logit -= presence * [count > 0] + frequency * count`.
 *
 * @example
 * presenceFrequencyPenalty(0.5, 0.2)(logits, state);
 */
export function presenceFrequencyPenalty(presence: number, frequency: number): LogitsProcessor {
  return (logits, state) => {
    for (const [token, count] of state.counts) {
      logits[token] = (logits[token] as number) - presence - frequency * count;
    }
  };
}
