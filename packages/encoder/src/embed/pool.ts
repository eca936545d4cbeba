import type { Pooling } from "./types.js";

/**
 * Pools the token vectors of one row into one vector, in double precision: `hidden` holds `width x size` values
 * (row-major, right-padded), of which the first `length` rows are real tokens.
 *
 * @example
 * pool(new Float32Array([1, 2, 3, 4]), 2, 2, "mean"); // Float64Array [2, 3]
 * @internal
 */
export function pool(hidden: Float32Array, length: number, size: number, pooling: Pooling): Float64Array {
  const out = new Float64Array(size);
  if (pooling === "cls" || pooling === "last") {
    const at = pooling === "cls" ? 0 : length - 1;
    for (let d = 0; d < size; d++) out[d] = hidden[at * size + d] as number;
    return out;
  }
  if (pooling === "max") {
    out.fill(Number.NEGATIVE_INFINITY);
    for (let t = 0; t < length; t++) for (let d = 0; d < size; d++) out[d] = Math.max(out[d] as number, hidden[t * size + d] as number);
    return out;
  }
  for (let t = 0; t < length; t++) for (let d = 0; d < size; d++) out[d] = (out[d] as number) + (hidden[t * size + d] as number);
  for (let d = 0; d < size; d++) out[d] = (out[d] as number) / length;
  return out;
}

/**
 * Scales a vector to unit L2 length in place (a zero vector stays zero), as `torch.nn.functional.normalize` does.
 *
 * @example
 * normalizeInPlace(new Float64Array([3, 4])); // [0.6, 0.8]
 * @internal
 */
export function normalizeInPlace(vector: Float64Array): Float64Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += (vector[i] as number) ** 2;
  const norm = Math.max(Math.sqrt(sum), 1e-12);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}
