/**
 * Reusable buffers for candidate tokens: ids and their logits, best first.
 * Sized once per vocabulary, never per step.
 */
export class CandidateBuffer {
  readonly ids: Int32Array;
  readonly values: Float32Array;
  /** Number of valid entries. */
  count = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
  }
}

/**
 * Index of the largest logit (the greedy choice); the lowest index wins ties.
 *
 * @example
 * argmax(Float32Array.of(0.1, 2, 2, -1)); // 1
 */
export function argmax(logits: Float32Array): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i] as number;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/**
 * Selects the `k` largest logits into `out`, sorted best first, with a size-k min-heap: O(V log k),
 * no sort of the whole vocabulary. Entries at -Infinity are never selected.
 *
 * @example
 * const out = new CandidateBuffer(vocab);
 * topK(logits, 50, out); // out.ids[0] is the argmax
 */
export function topK(logits: Float32Array, k: number, out: CandidateBuffer): void {
  const size = Math.min(k, logits.length);
  const heapIds = out.ids;
  const heapValues = out.values;
  let n = 0;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i] as number;
    if (v === Number.NEGATIVE_INFINITY || Number.isNaN(v)) continue;
    if (n < size) {
      let at = n++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!less(v, i, heapValues[parent] as number, heapIds[parent] as number)) break;
        heapIds[at] = heapIds[parent] as number;
        heapValues[at] = heapValues[parent] as number;
        at = parent;
      }
      heapIds[at] = i;
      heapValues[at] = v;
    } else if (less(heapValues[0] as number, heapIds[0] as number, v, i)) {
      siftDown(heapIds, heapValues, n, i, v);
    }
  }
  // Heap sort in place: repeatedly move the smallest to the end, giving descending order.
  for (let end = n - 1; end > 0; end--) {
    const id = heapIds[end] as number;
    const value = heapValues[end] as number;
    heapIds[end] = heapIds[0] as number;
    heapValues[end] = heapValues[0] as number;
    siftDown(heapIds, heapValues, end, id, value);
  }
  out.count = n;
}

/** Heap order: smaller value first; on equal values the larger id counts as smaller (lower ids win ties). */
function less(va: number, ia: number, vb: number, ib: number): boolean {
  return va < vb || (va === vb && ia > ib);
}

function siftDown(ids: Int32Array, values: Float32Array, n: number, id: number, value: number): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= n) break;
    const right = left + 1;
    let child = left;
    if (right < n && less(values[right] as number, ids[right] as number, values[left] as number, ids[left] as number)) child = right;
    if (!less(values[child] as number, ids[child] as number, value, id)) break;
    ids[at] = ids[child] as number;
    values[at] = values[child] as number;
    at = child;
  }
  ids[at] = id;
  values[at] = value;
}
