import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { InputError, ModelNotFoundError } from "../../errors.js";
import { optionNames } from "../../options/check-options.js";
import { DTYPE_SUFFIXES } from "../../session/dtype.js";
import { checkQuantizeModelOptions, quantizeModel } from "./quantize-model.js";
import { pathExists } from "./path-exists.js";
import type { QuantizedFile, QuantizeOptions, QuantizeReport } from "./quantize-options.js";

/** The option names {@link quantize} accepts. */
export const QUANTIZE_OPTIONS = optionNames<QuantizeOptions>()(["dtype", "files", "perChannel", "mode", "overwrite"]);

/** File-name endings of ONNX files that hold a dtype variant, not the float32 graph. */
const VARIANT_SUFFIXES = Object.values(DTYPE_SUFFIXES).filter((s) => s !== "");

/**
 * Quantizes the ONNX graphs of a model folder in the Optimum layout to int8 weights: each float32
 * `onnx/<name>.onnx` gets an `onnx/<name>_quantized.onnx` beside it, the file that `{ load: { dtype: "q8" } }` (and
 * transformers.js's `dtype: "q8"`) opens. MatMul and Gemm weights become int8 (dynamic quantization, see
 * {@link quantizeModel}); embeddings, norms and biases stay float32. Nothing is overwritten unless
 * `overwrite: true`, and every target is checked before any file is written.
 *
 * @example
 * const report = await quantize("./models/distilbert-sst2");
 * for (const f of report.files) console.log(f.output, f.bytesBefore, "->", f.bytesAfter, f.quantized.length);
 * const [best] = await classify("Great film!", { model: "./models/distilbert-sst2", load: { dtype: "q8" } });
 */
export async function quantize(modelFolder: string, options?: QuantizeOptions): Promise<QuantizeReport> {
  const checked = checkQuantizeModelOptions(options, "quantize()", QUANTIZE_OPTIONS);
  const { dtype = "q8", perChannel = false, mode = "matmul-integer", overwrite = false } = checked;
  if (dtype !== "q8") {
    throw new InputError(`quantize(): dtype ${JSON.stringify(dtype)} is not supported`, { hint: 'pass { dtype: "q8" } (int8 weights)' });
  }
  const onnxFolder = join(modelFolder, "onnx");
  let present: string[];
  try {
    present = (await readdir(onnxFolder)).filter((f) => f.endsWith(".onnx")).sort();
  } catch {
    throw new ModelNotFoundError(`${modelFolder} has no onnx/ folder`, {
      hint: "pass a model folder in the Optimum layout (config.json, onnx/model.onnx), e.g. from `optimum-cli export onnx`",
    });
  }
  const float32 = present.filter((f) => !VARIANT_SUFFIXES.some((s) => f.endsWith(`${s}.onnx`)));
  const names = checked.files ? pickFiles(checked.files, present, modelFolder) : float32;
  if (!names.length) {
    throw new ModelNotFoundError(`${onnxFolder} has no float32 ONNX file to quantize (files without a dtype suffix)`, {
      hint: present.length ? `it has ${present.join(", ")}: quantization starts from the float32 export` : "export the model to ONNX first",
    });
  }
  const targets = names.map((name) => ({
    input: join(onnxFolder, name),
    output: join(onnxFolder, name.replace(/\.onnx$/, `${DTYPE_SUFFIXES.q8}.onnx`)),
  }));
  if (!overwrite) {
    const existing = [];
    for (const t of targets) if (await pathExists(t.output)) existing.push(t.output);
    if (existing.length)
      throw new InputError(`${existing.join(", ")} exist already`, { hint: "pass { overwrite: true } (or --overwrite) to replace them" });
  }
  const files: QuantizedFile[] = [];
  for (const t of targets) files.push(await quantizeModel(t.input, t.output, { perChannel, mode, overwrite }));
  return { folder: modelFolder, dtype, mode, perChannel, files };
}

function pickFiles(files: readonly string[], present: readonly string[], folder: string): string[] {
  if (!Array.isArray(files) || files.some((f) => typeof f !== "string")) {
    throw new InputError("quantize(): files must be an array of file names", { hint: 'pass { files: ["model.onnx"] }' });
  }
  return files.map((file) => {
    const name = file.replace(/^(\.\/)?onnx\//, "");
    if (!present.includes(name)) {
      throw new ModelNotFoundError(`${folder} has no onnx/${name}`, {
        hint: present.length ? `its ONNX files: ${present.join(", ")}` : "export the model first",
      });
    }
    if (VARIANT_SUFFIXES.some((s) => name.endsWith(`${s}.onnx`))) {
      throw new InputError(`onnx/${name} is a dtype variant, not a float32 graph`, {
        hint: "name the float32 file (without _quantized, _fp16 ...)",
      });
    }
    return name;
  });
}
