/** 2^i for i in [-127, 2], at index i + 127. */
const POW2 = Float64Array.from({ length: 130 }, (_, k) => 2 ** (k - 127));

/**
 * `exp(x)` for `x <= 0`, to within 1e-8 relative (far below float32's 6e-8), about twice as fast as `Math.exp`:
 * `x = (i + f) ln 2` with `i` an integer and `|f| <= 1/2`, `e^(f ln 2)` by a degree-7 polynomial, `2^i` from a table.
 * Below -87 (under 1e-37: nothing next to a term of 1 in a sum, and 0 in float32) it returns 0. The engine uses it where
 * it sums or compares weights `exp(logit - max)` over a whole vocabulary (softmax normalisers, sampling weights).
 *
 * @example
 * expNonPositive(-1); // 0.36787944...
 */
export function expNonPositive(x: number): number {
  if (!(x >= -87)) return 0;
  const t = x * Math.LOG2E;
  const i = Math.round(t);
  const r = (t - i) * Math.LN2;
  const poly = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r / 5040))))));
  return poly * (POW2[i + 127] as number);
}
