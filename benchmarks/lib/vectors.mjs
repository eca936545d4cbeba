/**
 * Comparing the embeddings of contenders that embed the same texts: equal within a float tolerance, since
 * three pipelines that sum in different orders (and precisions) do not give bit-equal vectors.
 */

/**
 * The largest absolute difference between two lists of vectors (`Infinity` when their shapes differ).
 * @param {ArrayLike<number>[]} a
 * @param {ArrayLike<number>[]} b
 */
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.length !== y.length) return Number.POSITIVE_INFINITY;
    for (let d = 0; d < x.length; d++) {
      const diff = Math.abs(x[d] - y[d]);
      if (!(diff <= max)) max = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
    }
  }
  return max;
}

/**
 * An `agree` function for `measureCase`: every contender's vectors (its `check`) within `tolerance` of proj's
 * (or of the first contender's). Values: the largest difference of each contender from the reference.
 * @param {number} tolerance
 */
export function vectorsAgree(tolerance) {
  return (checks) => {
    const ids = Object.keys(checks);
    const reference = ids.includes("proj") ? "proj" : ids[0];
    const values = {};
    for (const id of ids) if (id !== reference) values[`max |${id} − ${reference}|`] = maxAbsDiff(checks[id], checks[reference]);
    return { same: ids.length > 1 && Object.values(values).every((d) => d <= tolerance), values: { ...values, tolerance } };
  };
}
