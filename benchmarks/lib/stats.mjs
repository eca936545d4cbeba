/**
 * Small statistics for benchmark samples: medians and spreads, never means (one slow outlier on a shared
 * machine would move a mean).
 */

/**
 * The q-quantile (0..1) of values, linearly interpolated.
 * @param {readonly number[]} values
 * @param {number} q
 */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * Median, min, max and interquartile range of samples; `spread` is (max - min) / median.
 * @param {readonly number[]} values
 * @returns {{ n: number, median: number, min: number, max: number, p25: number, p75: number, spread: number }}
 */
export function summarize(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  const median = quantile(finite, 0.5);
  const min = finite.length ? Math.min(...finite) : Number.NaN;
  const max = finite.length ? Math.max(...finite) : Number.NaN;
  return {
    n: finite.length,
    median,
    min,
    max,
    p25: quantile(finite, 0.25),
    p75: quantile(finite, 0.75),
    spread: median ? (max - min) / Math.abs(median) : Number.NaN,
  };
}

/**
 * Nearest-rank percentile (the way latency percentiles are usually reported).
 * @param {readonly number[]} values
 * @param {number} p - 0..100
 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
