import { Tensor } from "onnxruntime-node";
import { DecoderCache, type EncoderMemory } from "../cache/decoder-cache.js";
import type { StepResult } from "./decoder-runner.js";

/**
 * Row bookkeeping for encoder-decoder graphs. Their decoders take no decoder attention mask and place the
 * new token after every past position, so rows whose decoder prefixes differ in length cannot share one
 * forward pass: they run in groups of equal length, and the results are joined back in row order.
 */

/**
 * Groups row indices by length, in order of first appearance; `undefined` when every row has the same length.
 *
 * @example
 * groupByLength([2, 3, 2]); // [[0, 2], [1]]
 */
export function groupByLength(lengths: readonly number[]): number[][] | undefined {
  const groups = new Map<number, number[]>();
  lengths.forEach((length, row) => {
    const group = groups.get(length);
    if (group) group.push(row);
    else groups.set(length, [row]);
  });
  return groups.size <= 1 ? undefined : [...groups.values()];
}

/**
 * Joins the results of row groups into one result in the original row order: caches are concatenated
 * (shorter decoder pasts padded on the left and masked) and then reordered.
 *
 * @example
 * const joined = joinGroups([[0, 2], [1]], [resultA, resultB]);
 */
export function joinGroups(groups: readonly number[][], results: readonly StepResult[]): StepResult {
  const order = groups.flat();
  const at = new Array<number>(order.length);
  order.forEach((row, position) => {
    at[row] = position;
  });
  const logits = results.flatMap((r) => r.logits);
  return {
    cache: DecoderCache.concat(results.map((r) => r.cache)).gather(at),
    logits: at.map((position) => logits[position] as Float32Array),
  };
}

/**
 * The encoder memory of some rows (the rows of one length group).
 *
 * @example
 * const memory = memoryRows(cache.encoder, [0, 2]);
 */
export function memoryRows(memory: EncoderMemory, rows: readonly number[]): EncoderMemory {
  // The carrier has as many (empty) decoder rows as the memory has rows, so that any of them can be gathered.
  const count = memory.hiddenStates.dims[0] ?? 0;
  const carrier = new DecoderCache(
    new Map(),
    new BigInt64Array(0),
    0,
    Array.from({ length: count }, () => 0),
    Array.from({ length: count }, () => []),
    memory,
  );
  // gather() reorders the encoder side along with the (here empty) decoder side.
  return carrier.gather(rows).encoder as EncoderMemory;
}

/**
 * Keeps the last `keep` positions of axis `axis` (drops left padding of a decoder self-attention cache).
 *
 * @example
 * const trimmed = keepLast(pastKey, 2, 3); // [rows, heads, 3, headDim]
 */
export function keepLast(tensor: Tensor, axis: number, keep: number): Tensor {
  const length = tensor.dims[axis] ?? 0;
  if (keep === length) return tensor;
  if (keep > length) throw new RangeError(`cannot keep ${keep} of ${length} positions`);
  const dims = [...tensor.dims];
  dims[axis] = keep;
  const inner = tensor.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const blocks = tensor.dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const data = tensor.data as Float32Array;
  const Ctor = data.constructor as new (n: number) => Float32Array;
  const out = new Ctor(blocks * keep * inner);
  for (let b = 0; b < blocks; b++) {
    const src = (b * length + length - keep) * inner;
    out.set(data.subarray(src, src + keep * inner), b * keep * inner);
  }
  return new Tensor(tensor.type as "float32", out, dims);
}

/**
 * An all-ones mask `[rows, width]` (every decoder position real).
 *
 * @example
 * onesMask(2, 3).length; // 6
 */
export function onesMask(rows: number, width: number): BigInt64Array {
  return new BigInt64Array(rows * width).fill(1n);
}
