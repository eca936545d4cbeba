import { readFile } from "node:fs/promises";
import { InputError, ModelFormatError, ModelNotFoundError } from "../../errors.js";
import { writeFileAtomic } from "../../files/write-file-atomic.js";
import { checkOptions, optionNames } from "../../options/check-options.js";
import { decodeModel, encodedSize, encodeModel, type GraphProto, hasExternalData, type ModelProto, toNumber } from "../onnx-proto.js";
import { pathExists } from "./path-exists.js";
import { quantizeGraph } from "./quantize-graph.js";
import type { QuantizedFile, QuantizeModelOptions, QuantizeMode } from "./quantize-options.js";

/** The option names {@link quantizeModel} accepts. */
export const QUANTIZE_MODEL_OPTIONS = optionNames<QuantizeModelOptions>()(["perChannel", "mode", "overwrite"]);

/** Ops that show a graph has quantized weights already. */
const QUANTIZED_OPS = new Set([
  "MatMulInteger",
  "DynamicQuantizeLinear",
  "DynamicQuantizeMatMul",
  "MatMulNBits",
  "QLinearMatMul",
  "DequantizeLinear",
  "QuantizeLinear",
  "GatherBlockQuantized",
]);

const MODES: readonly QuantizeMode[] = ["matmul-integer", "fused"];

/**
 * Quantizes one ONNX file's MatMul and Gemm weights to int8 (dynamic quantization: activations are quantized at run
 * time) and writes the result to `outputPath`; see {@link QuantizeModelOptions} for the choices. Refuses, with a
 * typed error, a file that is missing ({@link ModelNotFoundError}), an output that exists without `overwrite`
 * ({@link InputError}), and a model that is already quantized, keeps its weights in external data files (models over
 * 2 GB), or has nothing to quantize ({@link ModelFormatError}).
 *
 * @example
 * const report = await quantizeModel("gpt2/onnx/model.onnx", "gpt2/onnx/model_quantized.onnx");
 * console.log(report.quantized.length, report.bytesBefore, report.bytesAfter);
 */
export async function quantizeModel(inputPath: string, outputPath: string, options?: QuantizeModelOptions): Promise<QuantizedFile> {
  const { perChannel = false, mode = "matmul-integer", overwrite = false } = checkQuantizeModelOptions(options, "quantizeModel()");
  if (!overwrite && (await pathExists(outputPath))) {
    throw new InputError(`${outputPath} exists already`, { hint: "pass { overwrite: true } (or --overwrite) to replace it" });
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(inputPath);
  } catch (error) {
    throw new ModelNotFoundError(`cannot read ${inputPath}: ${(error as Error).message}`, { hint: "pass the path of an .onnx file" });
  }
  const model = readModel(bytes, inputPath);
  const result = quantizeGraph(model, { perChannel, mode });
  if (!result.quantized.length) {
    const why = result.skipped.length ? `: ${result.skipped.map((s) => `${s.node} ${s.reason}`).join("; ")}` : "";
    throw new ModelFormatError(`${inputPath} has no MatMul or Gemm by a float32 2-D weight to quantize${why}`, {
      hint: "quantize the float32 export of the model (optimum-cli export onnx)",
    });
  }
  const out = encodeModel(model);
  // Written next to the target and renamed, so a crash leaves no half file under the name transformers.js loads.
  await writeFileAtomic(outputPath, out);
  return { input: inputPath, output: outputPath, bytesBefore: bytes.byteLength, bytesAfter: out.byteLength, ...result };
}

/**
 * Checks the options of {@link quantizeModel} (names, types, the mode), for it and for `quantize()`.
 *
 * @example
 * checkQuantizeModelOptions({ mode: "fused" }, "quantizeModel()");
 */
export function checkQuantizeModelOptions<T extends QuantizeModelOptions>(
  options: T | undefined,
  where: string,
  names: readonly string[] = QUANTIZE_MODEL_OPTIONS,
): T {
  const checked = checkOptions(options, where, names);
  if (checked.mode !== undefined && !MODES.includes(checked.mode)) {
    throw new InputError(`${where}: mode must be one of ${MODES.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(checked.mode)}`, {
      hint: '"matmul-integer" (standard ONNX ops, the default) or "fused" (ONNX Runtime\'s DynamicQuantizeMatMul)',
    });
  }
  for (const flag of ["perChannel", "overwrite"] as const) {
    if (checked[flag] !== undefined && typeof checked[flag] !== "boolean") {
      throw new InputError(`${where}: ${flag} must be true or false, got ${JSON.stringify(checked[flag])}`, {
        hint: `pass { ${flag}: true }`,
      });
    }
  }
  return checked;
}

function readModel(bytes: Uint8Array, file: string): ModelProto {
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    throw new ModelFormatError(`${file} could not be decoded as an ONNX model (${(error as Error).message})`, {
      hint: "pass an .onnx file",
    });
  }
  if (!model.graph) throw new ModelFormatError(`${file} has no graph`, { hint: "pass an ONNX model file" });
  // protobufjs drops fields it does not know: what it cannot write back exactly is refused rather than damaged.
  const size = encodedSize(model);
  if (size !== bytes.byteLength) {
    throw new ModelFormatError(
      `${file} cannot be rewritten exactly: re-encoding it unchanged gives ${size} bytes instead of ${bytes.byteLength}`,
      {
        hint: "it uses ONNX fields newer than 1.12; quantize it with ONNX Runtime's Python quantizer",
      },
    );
  }
  if (model.graph && hasExternalData(model.graph)) {
    throw new ModelFormatError(`${file} keeps its weights in external data files (models over 2 GB): they are not supported here`, {
      hint: "quantize it with ONNX Runtime's Python quantizer (onnxruntime.quantization.quantize_dynamic, use_external_data_format=True)",
    });
  }
  const quantizedOp = findNode(model.graph, (n) => QUANTIZED_OPS.has(n.opType ?? ""));
  if (quantizedOp) {
    throw new ModelFormatError(`${file} is quantized already: it has a ${quantizedOp} node`, {
      hint: "quantize the float32 file (model.onnx) instead",
    });
  }
  const opset = toNumber(model.opsetImport?.find((o) => !o.domain || o.domain === "ai.onnx")?.version) ?? 0;
  if (opset < 11) {
    throw new ModelFormatError(`${file} has opset ${opset}; DynamicQuantizeLinear needs 11 or newer`, {
      hint: "re-export it with opset 11 or newer",
    });
  }
  return model;
}

function findNode(graph: GraphProto, test: (n: { opType?: string }) => boolean): string | undefined {
  for (const node of graph.node ?? []) {
    if (test(node)) return node.opType;
    for (const a of node.attribute ?? []) {
      const inner = a.g ? findNode(a.g, test) : undefined;
      if (inner) return inner;
    }
  }
  return undefined;
}
