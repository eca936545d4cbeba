import type { LogitsProcessor } from "./logits-processor.js";

/**
 * CTRL's repetition penalty (Keskar et al., 2019), as transformers applies it: every token already in the
 * prompt or the output has its logit divided by `penalty` when positive, multiplied when negative.
 *
 * @example
 * repetitionPenalty(1.2)(logits, state);
 */
export function repetitionPenalty(penalty: number): LogitsProcessor {
  return (logits, state) => {
    for (const token of state.seen) {
      const value = logits[token] as number;
      logits[token] = value < 0 ? value * penalty : value / penalty;
    }
  };
}
