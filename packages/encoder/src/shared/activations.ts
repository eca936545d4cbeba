/**
 * Score functions over logits, computed in double precision: softmax for single-label heads,
 * sigmoid for multi-label ones.
 */

/**
 * Softmax of `logits[offset, offset + length)`, written into `out` (which must hold `length` values).
 *
 * @example
 * softmaxInto(new Float32Array([1, 2, 3]), 0, 3, new Float64Array(3)); // [0.090, 0.245, 0.665]
 */
export function softmaxInto(logits: ArrayLike<number>, offset: number, length: number, out: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < length; i++) max = Math.max(max, logits[offset + i] as number);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const e = Math.exp((logits[offset + i] as number) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/**
 * Softmax of a whole row, as a new array.
 *
 * @example
 * softmax([0, 0]); // Float64Array [0.5, 0.5]
 */
export function softmax(logits: ArrayLike<number>): Float64Array {
  return softmaxInto(logits, 0, logits.length, new Float64Array(logits.length));
}

/**
 * The logistic function, `1 / (1 + e^-x)`.
 *
 * @example
 * sigmoid(0); // 0.5
 */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * `log(sum(exp(logits)))` of a range, stable for large logits: turns one logit into a probability without
 * materialising the whole softmax (`p_i = exp(l_i - lse)`).
 *
 * @example
 * Math.exp(2 - logSumExp([1, 2, 3], 0, 3)); // 0.245
 */
export function logSumExp(logits: ArrayLike<number>, offset: number, length: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < length; i++) max = Math.max(max, logits[offset + i] as number);
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.exp((logits[offset + i] as number) - max);
  return max + Math.log(sum);
}
