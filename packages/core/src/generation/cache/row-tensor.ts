import { Tensor } from "onnxruntime-node";
import { InputError } from "../../errors.js";

/** Typed arrays a cache tensor can hold (float32, float16 stored as Uint16, int64 masks). */
type RowData = Float32Array | Uint16Array | BigInt64Array | Int32Array | Uint8Array;

function dataOf(tensor: Tensor): RowData {
  const data = tensor.data;
  if (
    data instanceof Float32Array ||
    data instanceof Uint16Array ||
    data instanceof BigInt64Array ||
    data instanceof Int32Array ||
    data instanceof Uint8Array
  ) {
    return data;
  }
  throw new InputError(`Cache tensors of type ${tensor.type} are not supported`);
}

function allocate(like: RowData, length: number): RowData {
  const Ctor = like.constructor as new (n: number) => RowData;
  return new Ctor(length);
}

/**
 * Takes rows of a tensor whose first axis is the batch: reorders beams, drops finished rows,
 * or repeats a row (indices may repeat).
 *
 * @example
 * const reordered = gatherRows(pastKey, [0, 0, 2]); // rows 0, 0 and 2
 */
export function gatherRows(tensor: Tensor, indices: readonly number[]): Tensor {
  const data = dataOf(tensor);
  const rows = tensor.dims[0] ?? 0;
  const stride = rows === 0 ? 0 : data.length / rows;
  const out = allocate(data, indices.length * stride);
  indices.forEach((row, i) => {
    if (row < 0 || row >= rows) throw new RangeError(`row ${row} out of [0, ${rows})`);
    (out as Float32Array).set((data as Float32Array).subarray(row * stride, (row + 1) * stride), i * stride);
  });
  return new Tensor(tensor.type as "float32", out as Float32Array, [indices.length, ...tensor.dims.slice(1)]);
}

/**
 * Stacks tensors along the batch axis, padding a variable axis to the longest with zeros:
 * on the left for self-attention caches (so the newest positions line up), on the right for encoder outputs.
 *
 * @example
 * const joined = concatRows([runningPast, newPast], 2, "left");
 */
export function concatRows(tensors: readonly Tensor[], axis: number, side: "left" | "right"): Tensor {
  const first = tensors[0];
  if (!first) throw new RangeError("concatRows needs at least one tensor");
  if (tensors.length === 1) return first;
  const length = Math.max(...tensors.map((t) => t.dims[axis] ?? 0));
  const dims = [...first.dims];
  dims[axis] = length;
  const rows = tensors.reduce((n, t) => n + (t.dims[0] ?? 0), 0);
  dims[0] = rows;
  // Elements after the padded axis form contiguous blocks; axes between batch and it are "outer" blocks.
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outerPerRow = dims.slice(1, axis).reduce((a, b) => a * b, 1);
  const out = allocate(
    dataOf(first),
    dims.reduce((a, b) => a * b, 1),
  );
  let rowOffset = 0;
  for (const tensor of tensors) {
    const data = dataOf(tensor) as Float32Array;
    const len = tensor.dims[axis] ?? 0;
    const pad = length - len;
    const count = (tensor.dims[0] ?? 0) * outerPerRow;
    for (let block = 0; block < count; block++) {
      const src = block * len * inner;
      const dst = (rowOffset * outerPerRow + block) * length * inner + (side === "left" ? pad * inner : 0);
      (out as Float32Array).set(data.subarray(src, src + len * inner), dst);
    }
    rowOffset += tensor.dims[0] ?? 0;
  }
  return new Tensor(first.type as "float32", out as Float32Array, dims);
}

/**
 * Drops the first `start` positions of an axis (columns of padding every row has stopped needing).
 *
 * @example
 * const trimmed = dropLeading(pastKey, 2, 16); // [rows, heads, len - 16, dim]
 */
export function dropLeading(tensor: Tensor, axis: number, start: number): Tensor {
  if (start === 0) return tensor;
  const data = dataOf(tensor);
  const dims = [...tensor.dims];
  const length = dims[axis] ?? 0;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const blocks = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const kept = length - start;
  const out = allocate(data, blocks * kept * inner);
  for (let b = 0; b < blocks; b++) {
    const src = (b * length + start) * inner;
    (out as Float32Array).set((data as Float32Array).subarray(src, src + kept * inner), b * kept * inner);
  }
  dims[axis] = kept;
  return new Tensor(tensor.type as "float32", out as Float32Array, dims);
}
