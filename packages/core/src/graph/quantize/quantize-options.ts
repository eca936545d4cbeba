/**
 * How a quantized MatMul runs in ONNX Runtime:
 * - `"matmul-integer"`: standard ONNX ops only, as ONNX Runtime's Python quantizer writes them:
 *   `DynamicQuantizeLinear` + `MatMulInteger` + `Cast` + `Mul` by the scales (runs in any ONNX runtime). Measured as
 *   fast as `"fused"` or faster on CPU (docs/benchmarks.md), hence the default.
 * - `"fused"`: one `DynamicQuantizeMatMul` node (ONNX Runtime's `com.microsoft` contrib op: the activation is
 *   quantized and multiplied in one kernel).
 */
export type QuantizeMode = "fused" | "matmul-integer";

/** Options of {@link quantizeModel}. */
export interface QuantizeModelOptions {
  /** One scale per output column of each weight instead of one per weight (closer outputs, same size). @defaultValue false */
  perChannel?: boolean;
  /** The ops written for each quantized MatMul; see {@link QuantizeMode}. @defaultValue "matmul-integer" */
  mode?: QuantizeMode;
  /** Replace `outputPath` when it exists. @defaultValue false */
  overwrite?: boolean;
}

/** Options of {@link quantize}. */
export interface QuantizeOptions extends QuantizeModelOptions {
  /** The weight format to write; only `"q8"` (int8 weights, files `onnx/<name>_quantized.onnx`). @defaultValue "q8" */
  dtype?: "q8";
  /**
   * The ONNX files to quantize, named as in the folder (`"model.onnx"` or `"onnx/model.onnx"`); by default every
   * `onnx/*.onnx` without a dtype suffix (`model.onnx`, `encoder_model.onnx`, `decoder_model_merged.onnx` ...).
   */
  files?: readonly string[];
}

/** One MatMul or Gemm whose weight was quantized. */
export interface QuantizedOp {
  /** The node's name (or its output's when it has none). */
  node: string;
  /** `"MatMul"` or `"Gemm"`. */
  opType: string;
  /** The weight initializer. */
  weight: string;
  /** The weight's shape as multiplied, `[inputs, outputs]`. */
  shape: [number, number];
}

/** One MatMul or Gemm left in float32, and why. */
export interface SkippedOp {
  /** The node's name (or its output's when it has none). */
  node: string;
  /** `"MatMul"` or `"Gemm"`. */
  opType: string;
  /** Why it was left alone, e.g. `its weight is computed by the graph (Transpose), not an initializer`. */
  reason: string;
}

/** What {@link quantizeModel} did to one file. */
export interface QuantizedFile {
  /** The float32 file read. */
  input: string;
  /** The int8 file written. */
  output: string;
  /** Size of the input file in bytes. */
  bytesBefore: number;
  /** Size of the output file in bytes. */
  bytesAfter: number;
  /** Bytes of the float32 weights that were quantized, and what they take as int8 with their scales. */
  weightBytes: { before: number; after: number };
  /** The MatMul and Gemm nodes now running on int8 weights. */
  quantized: QuantizedOp[];
  /** The MatMul and Gemm nodes left in float32, with the reason. */
  skipped: SkippedOp[];
}

/** What {@link quantize} wrote for a model folder. */
export interface QuantizeReport {
  /** The model folder. */
  folder: string;
  /** The weight format written. */
  dtype: "q8";
  /** The ops written for quantized MatMuls. */
  mode: QuantizeMode;
  /** Whether scales are per output column. */
  perChannel: boolean;
  /** One entry per ONNX file quantized. */
  files: QuantizedFile[];
}
