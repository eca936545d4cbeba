import { resolve } from "node:path";
import { type QuantizeMode, type QuantizeReport, quantize } from "@proj/core";
import { OUTPUT_FLAGS } from "../args/common.js";
import { booleanFlag, choiceFlag, listFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import { bytes, columns } from "../output/format.js";
import { type Command, printJson } from "./command.js";

const MODES: readonly QuantizeMode[] = ["matmul-integer", "fused"];

/** `proj quantize`: int8 weights for a model folder's ONNX graphs (`onnx/<name>_quantized.onnx`, loaded by `--dtype q8`). */
export const quantizeCommand: Command = {
  name: "quantize",
  summary: "write int8 copies of a model folder's ONNX graphs (onnx/*_quantized.onnx, loaded with --dtype q8)",
  usage: "proj quantize <model-folder> [flags]",
  examples: [
    "proj quantize ./models/distilbert-sst2",
    "proj classify --model ./models/distilbert-sst2 --dtype q8 'Great film!'",
    "proj quantize ./models/gpt2 --per-channel --overwrite --json",
  ],
  flags: {
    "per-channel": { type: "boolean", description: "one scale per output column of each weight (closer outputs, same size)" },
    mode: {
      type: "string",
      value: "mode",
      description: `ops written: ${MODES.join(", ")} (default matmul-integer: standard ONNX ops, measured as fast as fused or faster)`,
    },
    files: { type: "string", multiple: true, value: "file", description: "only these files of onnx/ (default: every float32 .onnx)" },
    overwrite: { type: "boolean", description: "replace existing *_quantized.onnx files" },
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const [target, ...rest] = args.positionals;
    if (!target) throw new UsageError("which model folder? pass the folder that holds config.json and onnx/", "quantize");
    if (rest.length > 0) throw new UsageError(`one model folder at a time (got ${args.positionals.join(", ")})`, "quantize");
    const mode = choiceFlag(args, "mode", "quantize", MODES);
    const files = listFlag(args, "files");
    const report = await quantize(resolve(io.cwd, target), {
      perChannel: booleanFlag(args, "per-channel"),
      overwrite: booleanFlag(args, "overwrite"),
      ...(mode ? { mode } : {}),
      ...(files ? { files } : {}),
    });
    if (booleanFlag(args, "json")) printJson(io, report);
    else io.stdout.write(render(report));
    return 0;
  },
};

function render(report: QuantizeReport): string {
  const out: string[] = [];
  for (const f of report.files) {
    const rows = [
      ["wrote", f.output],
      [
        "size",
        `${bytes(f.bytesBefore)} -> ${bytes(f.bytesAfter)} (quantized weights ${bytes(f.weightBytes.before)} -> ${bytes(f.weightBytes.after)})`,
      ],
      ["quantized", `${f.quantized.length} MatMul/Gemm (${report.mode}${report.perChannel ? ", per channel" : ", per tensor"})`],
      ...f.skipped.map((s) => ["skipped", `${s.node}: ${s.reason}`]),
    ];
    out.push(columns(rows));
  }
  out.push(`load it with --dtype q8 (or { load: { dtype: "q8" } }; transformers.js: { dtype: "q8" })`);
  return `${out.join("\n")}\n`;
}
