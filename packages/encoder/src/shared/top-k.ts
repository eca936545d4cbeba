/**
 * Indexes of the `k` largest values of `values[offset, offset + length)`, best first, relative to `offset`.
 * Selects with a size-k heap (no sort of the whole range), then sorts the k; ties go to the lower index.
 *
 * @example
 * topKIndices(new Float32Array([0.1, 0.7, 0.2]), 2); // [1, 2]
 */
export function topKIndices(values: ArrayLike<number>, k: number, offset = 0, length = values.length - offset): number[] {
  const n = Math.min(k, length);
  if (n <= 0) return [];
  // Min-heap of (value, index): the root is the worst of the best n seen so far.
  const heapIdx = new Int32Array(n);
  let size = 0;
  const worse = (a: number, b: number): boolean => {
    const va = values[offset + a] as number;
    const vb = values[offset + b] as number;
    return va < vb || (va === vb && a > b) || (Number.isNaN(va) && !Number.isNaN(vb));
  };
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heapIdx[l] as number, heapIdx[m] as number)) m = l;
      if (r < size && worse(heapIdx[r] as number, heapIdx[m] as number)) m = r;
      if (m === i) return;
      const t = heapIdx[i] as number;
      heapIdx[i] = heapIdx[m] as number;
      heapIdx[m] = t;
      i = m;
    }
  };
  for (let i = 0; i < length; i++) {
    if (size < n) {
      heapIdx[size] = i;
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(heapIdx[c] as number, heapIdx[p] as number)) break;
        const t = heapIdx[c] as number;
        heapIdx[c] = heapIdx[p] as number;
        heapIdx[p] = t;
        c = p;
      }
    } else if (worse(heapIdx[0] as number, i)) {
      heapIdx[0] = i;
      siftDown(0);
    }
  }
  return Array.from(heapIdx).sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
