// Runs an exported BiLSTM graph (export.py writes it by hand, not by tracing) in ONNX Runtime on the padded batch
// that export.py scored with torch, and fails unless the fp32 graph gives torch's log-probabilities (padding
// included: a row's backward direction must start at its own last piece). Sentiment and NER graphs alike.
//
//   node packages/models-lab/training/encoder/check_export.mjs [exportDir]
//
// exportDir defaults to packages/models-lab/training/encoder/.cache/export/sentiment (or .../ner) and must hold
// export_check.json (written by export.py for BiLSTM checkpoints) and onnx/model.onnx.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../../core/package.json")); // onnxruntime-node, a dependency of @proj/core
const ort = require("onnxruntime-node");

const dir = resolve(process.argv[2] ?? join(here, ".cache", "export", "sentiment"));
const check = JSON.parse(readFileSync(join(dir, "export_check.json"), "utf8"));
const rows = check.input_ids.length;
const cols = check.input_ids[0].length;
const tensor = (m) => new ort.Tensor("int64", BigInt64Array.from(m.flat().map(BigInt)), [rows, cols]);

const tolerances = { "model.onnx": 1e-4, "model_fp16.onnx": 5e-2, "model_quantized.onnx": 1e-1 };
let failed = false;
for (const [file, tolerance] of Object.entries(tolerances)) {
  const session = await ort.InferenceSession.create(join(dir, "onnx", file));
  const { logits } = await session.run({ input_ids: tensor(check.input_ids), attention_mask: tensor(check.attention_mask) });
  // [rows, labels] (sentiment) or [rows, positions, labels] (NER: export.py leaves out the padded positions)
  const labels = logits.dims[logits.dims.length - 1];
  const perRow = logits.dims.length === 3 ? logits.dims[1] : 1;
  let worst = 0;
  for (let r = 0; r < rows; r++) {
    const expected = logits.dims.length === 3 ? check.log_probs[r] : [check.log_probs[r]];
    expected.forEach((want, t) => {
      const at = (r * perRow + t) * labels;
      const row = Array.from(logits.data.slice(at, at + labels));
      const top = Math.max(...row);
      const norm = top + Math.log(row.reduce((s, v) => s + Math.exp(v - top), 0));
      row.forEach((v, k) => {
        worst = Math.max(worst, Math.abs(v - norm - want[k]));
      });
    });
  }
  const ok = worst <= tolerance;
  failed ||= !ok;
  console.log(
    `${file}: largest log-probability difference from torch ${worst.toExponential(2)} (limit ${tolerance}) ${ok ? "ok" : "FAILED"}`,
  );
}
process.exit(failed ? 1 : 0);
