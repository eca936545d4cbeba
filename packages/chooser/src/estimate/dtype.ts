import { ChooserError } from "../errors.js";

/**
 * Weight formats of ONNX files, named as Optimum and transformers.js name them (`model_quantized.onnx` is `"q8"`).
 *
 * @example
 * const dtype: WeightDtype = "q4f16";
 */
export type WeightDtype = "fp32" | "fp16" | "q8" | "int8" | "uint8" | "q4" | "q4f16" | "bnb4";

/** Every {@link WeightDtype}, smallest last. */
export const WEIGHT_DTYPES: readonly WeightDtype[] = ["fp32", "fp16", "q8", "int8", "uint8", "q4", "q4f16", "bnb4"];

const BYTES_PER_WEIGHT: Readonly<Record<WeightDtype, number>> = {
  fp32: 4,
  fp16: 2,
  q8: 1,
  int8: 1,
  uint8: 1,
  q4: 0.5,
  q4f16: 0.5,
  bnb4: 0.5,
};

/**
 * Bytes per weight of a dtype (quantization scales and the layers kept in full precision are left out).
 *
 * @example
 * bytesPerWeight("q8"); // 1
 */
export function bytesPerWeight(dtype: WeightDtype): number {
  const bytes = BYTES_PER_WEIGHT[dtype];
  if (bytes === undefined) {
    throw new ChooserError("INVALID_CONSTRAINT", `Unknown dtype "${String(dtype)}"`, `use one of ${WEIGHT_DTYPES.join(", ")}`);
  }
  return bytes;
}

/**
 * Bytes per element of activations and of the KV cache: half precision for fp16 models, single otherwise
 * (quantized exports keep float32 activations and cache).
 *
 * @example
 * bytesPerActivation("q4f16"); // 2
 */
export function bytesPerActivation(dtype: WeightDtype): number {
  return dtype === "fp16" || dtype === "q4f16" ? 2 : 4;
}
