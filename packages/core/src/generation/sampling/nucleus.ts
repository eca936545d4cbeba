/**
 * Finds the nucleus (top-p set) without sorting the vocabulary: a quickselect by probability mass that moves the
 * smallest set of most likely tokens whose weights add up to `target` to the front of `ids`, in expected O(n).
 * This is the set transformers' TopPLogitsWarper keeps (tokens are kept while the mass before them is below p),
 * up to the order of tokens with exactly equal weights.
 *
 * @param weights - unnormalised probabilities by token id.
 * @param ids - token ids to choose from (reordered in place).
 * @param n - how many entries of `ids` are in play.
 * @param target - the mass to reach (p times the total weight).
 * @param eps - mass short of `target` that still counts as reaching it (default: `target * 1e-6`, since transformers
 *   compares float32 cumulative sums); pass the whole nucleus's tolerance when `target` is what remains of it.
 * @returns how many ids, at the front of `ids`, form the nucleus (at least 1).
 * @example
 * const count = nucleusSelect(weights, ids, vocab, 0.9 * total);
 */
export function nucleusSelect(weights: Float32Array, ids: Int32Array, n: number, target: number, eps = target * 1e-6): number {
  let lo = 0;
  let hi = n;
  let need = target;
  while (hi - lo > 1 && need > eps) {
    const pivot = weights[ids[(lo + hi) >>> 1] as number] as number;
    // Three-way partition of [lo, hi): greater than the pivot, equal, smaller.
    let gt = lo;
    let i = lo;
    let lt = hi;
    while (i < lt) {
      const id = ids[i] as number;
      const w = weights[id] as number;
      if (w > pivot) {
        ids[i] = ids[gt] as number;
        ids[gt++] = id;
        i++;
      } else if (w < pivot) {
        ids[i] = ids[--lt] as number;
        ids[lt] = id;
      } else {
        i++;
      }
    }
    let sumGreater = 0;
    for (let k = lo; k < gt; k++) sumGreater += weights[ids[k] as number] as number;
    if (sumGreater >= need) {
      hi = gt;
      continue;
    }
    need -= sumGreater;
    let k = gt;
    while (k < lt && need > eps) need -= weights[ids[k++] as number] as number;
    if (need <= eps) return Math.max(k, 1);
    lo = lt;
  }
  return Math.max(need > eps ? Math.min(lo + 1, n) : lo, 1);
}
