import type { Int64, TensorProto } from "../onnx-proto.js";
import { toNumber } from "../onnx-proto.js";

/** ONNX `TensorProto.DataType` values used here. */
export const DATA_TYPE = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const;

/** A tensor with the repeated-value fields that some exporters use instead of `rawData`. */
interface ValuesTensorProto extends TensorProto {
  floatData?: number[];
}

/**
 * The shape of a tensor as numbers.
 *
 * @example
 * tensorDims(initializer); // [768, 3072]
 */
export function tensorDims(tensor: TensorProto): number[] {
  return (tensor.dims ?? []).map((d: Int64) => toNumber(d) ?? 0);
}

/**
 * The values of a float32 tensor (a copy, aligned), from `rawData` (little-endian) or `floatData`.
 *
 * @example
 * const w = floatValues(initializer); // Float32Array of 768 * 3072 values
 */
export function floatValues(tensor: TensorProto): Float32Array {
  const raw = tensor.rawData;
  if (raw && raw.byteLength > 0) {
    const copy = new Uint8Array(raw.byteLength);
    copy.set(raw);
    return new Float32Array(copy.buffer, 0, raw.byteLength / 4);
  }
  return Float32Array.from((tensor as ValuesTensorProto).floatData ?? []);
}

/**
 * A new initializer tensor holding `values` with the given shape (`rawData`, little-endian).
 *
 * @example
 * makeTensor("w_scale", DATA_TYPE.float, [], new Float32Array([0.01]));
 */
export function makeTensor(name: string, dataType: number, dims: readonly number[], values: ArrayBufferView): TensorProto {
  return { name, dataType, dims: [...dims], rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
}
