import { expNonPositive } from "../math/exp.js";
import { type CandidateBuffer, topK } from "../sampling/top-candidates.js";

/**
 * Replaces logits by log-probabilities, in place (`x - max - log(sum(exp(x - max)))`).
 *
 * @example
 * logSoftmaxInPlace(row); // Math.exp over row now sums to 1
 */
export function logSoftmaxInPlace(logits: Float32Array): void {
  const shift = logSoftmaxShift(logits);
  for (let i = 0; i < logits.length; i++) logits[i] = (logits[i] as number) - shift;
}

/**
 * The `k` most likely tokens of a row as log-probabilities, best first, without rewriting the row: the top `k` of the
 * raw logits (the order is the same) shifted by the row's log-normaliser. What {@link logSoftmaxInPlace} then
 * {@link topK} give, in two passes instead of four; for rows no logits processor needs to see as log-probabilities.
 *
 * @example
 * logSoftmaxTopK(row, 8, buffer); // buffer.ids[0] is the best token, buffer.values[0] its log-probability
 */
export function logSoftmaxTopK(logits: Float32Array, k: number, out: CandidateBuffer): void {
  topK(logits, k, out);
  if (out.count === 0) return;
  const shift = logSoftmaxShift(logits, out.values[0] as number);
  // As float32, like the log-probabilities logSoftmaxInPlace writes.
  for (let c = 0; c < out.count; c++) out.values[c] = (out.values[c] as number) - shift;
}

/** `max + log(sum(exp(x - max)))` of a row (`max` given when known). */
function logSoftmaxShift(logits: Float32Array, knownMax?: number): number {
  let max = knownMax ?? Number.NEGATIVE_INFINITY;
  if (knownMax === undefined) for (let i = 0; i < logits.length; i++) if ((logits[i] as number) > max) max = logits[i] as number;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += expNonPositive((logits[i] as number) - max);
  return max + Math.log(sum);
}
