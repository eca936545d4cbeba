/**
 * Replaces logits by log-probabilities, in place (`x - max - log(sum(exp(x - max)))`).
 *
 * @example
 * logSoftmaxInPlace(row); // Math.exp over row now sums to 1
 */
export function logSoftmaxInPlace(logits: Float32Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) if ((logits[i] as number) > max) max = logits[i] as number;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) - max);
  const shift = max + Math.log(sum);
  for (let i = 0; i < logits.length; i++) logits[i] = (logits[i] as number) - shift;
}
