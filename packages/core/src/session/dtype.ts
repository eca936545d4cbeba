import { ModelNotFoundError } from "../errors.js";

/** Weight formats of ONNX files, named as Optimum and transformers.js name them. */
export type ModelDtype = "fp32" | "fp16" | "q8" | "int8" | "uint8" | "q4" | "q4f16" | "bnb4";

/** The file-name suffix of each {@link ModelDtype}: `model.onnx`, `model_fp16.onnx`, `model_quantized.onnx` ... */
export const DTYPE_SUFFIXES: Readonly<Record<ModelDtype, string>> = {
  fp32: "",
  fp16: "_fp16",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  q4: "_q4",
  q4f16: "_q4f16",
  bnb4: "_bnb4",
};

/** Preference when the caller asks for `"auto"`: full precision first, then the closest to it. */
const AUTO_ORDER: readonly ModelDtype[] = ["fp32", "fp16", "q8", "int8", "uint8", "q4", "q4f16", "bnb4"];

/**
 * The path of an ONNX file inside a model folder for a graph and a dtype.
 *
 * @example
 * onnxFilePath("decoder_model_merged", "q8"); // "onnx/decoder_model_merged_quantized.onnx"
 */
export function onnxFilePath(graph: string, dtype: ModelDtype): string {
  return `onnx/${graph}${DTYPE_SUFFIXES[dtype]}.onnx`;
}

/**
 * The dtype variants of one graph that a model has, best first.
 *
 * @example
 * availableDtypes("model", ["onnx/model.onnx", "onnx/model_quantized.onnx"]); // ["fp32", "q8"]
 */
export function availableDtypes(graph: string, files: readonly string[]): ModelDtype[] {
  const present = new Set(files);
  return AUTO_ORDER.filter((dtype) => present.has(onnxFilePath(graph, dtype)));
}

/**
 * Picks the dtype of a graph: the one asked for, or with `"auto"` the best one present.
 * Throws {@link ModelNotFoundError} naming the variants that do exist.
 *
 * @example
 * chooseDtype("model", files, "auto"); // "fp32" when onnx/model.onnx exists
 */
export function chooseDtype(graph: string, files: readonly string[], requested: ModelDtype | "auto", modelLabel: string): ModelDtype {
  const available = availableDtypes(graph, files);
  if (requested === "auto") {
    const best = available[0];
    if (best) return best;
  } else if (available.includes(requested)) {
    return requested;
  }
  const wanted = requested === "auto" ? `onnx/${graph}*.onnx` : onnxFilePath(graph, requested);
  throw new ModelNotFoundError(`${modelLabel} has no ${wanted}`, {
    hint: available.length
      ? `it has the dtypes ${available.join(", ")}: pass { dtype: "${available[0]}" }`
      : `a model in the Optimum layout keeps its ONNX graphs in onnx/; export it with \`optimum-cli export onnx\``,
  });
}
