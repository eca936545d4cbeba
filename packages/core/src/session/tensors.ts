import { Tensor } from "onnxruntime-node";

/**
 * Builds an `int64` tensor (token ids, masks, positions).
 *
 * @example
 * const ids = int64Tensor(batch.inputIds, batch.dims);
 */
export function int64Tensor(data: BigInt64Array, dims: readonly number[]): Tensor {
  return new Tensor("int64", data, dims);
}

/**
 * Builds a `float32` tensor.
 *
 * @example
 * const emptyPast = float32Tensor(new Float32Array(0), [1, 12, 0, 64]);
 */
export function float32Tensor(data: Float32Array, dims: readonly number[]): Tensor {
  return new Tensor("float32", data, dims);
}

/**
 * Builds a `bool` tensor (such as `use_cache_branch`).
 *
 * @example
 * const useCache = boolTensor([true]);
 */
export function boolTensor(values: readonly boolean[], dims: readonly number[] = [values.length]): Tensor {
  return new Tensor(
    "bool",
    Uint8Array.from(values, (v) => (v ? 1 : 0)),
    dims,
  );
}

export { Tensor };
