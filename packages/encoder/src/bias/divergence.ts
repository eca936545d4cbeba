/**
 * Jensen-Shannon divergence between two probability distributions, in bits (0 for equal distributions,
 * 1 for disjoint ones). Symmetric and always finite, unlike the Kullback-Leibler divergence.
 *
 * @example
 * jensenShannon(new Float64Array([1, 0]), new Float64Array([0, 1])); // 1
 * jensenShannon(new Float64Array([0.5, 0.5]), new Float64Array([0.5, 0.5])); // 0
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] as number;
    const b = q[i] as number;
    const m = (a + b) / 2;
    if (a > 0) sum += a * Math.log2(a / m);
    if (b > 0) sum += b * Math.log2(b / m);
  }
  return Math.min(1, Math.max(0, sum / 2));
}
