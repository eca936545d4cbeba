// Runs an ONNX graph on given ids with onnxruntime-node and writes one output, so Python (which has no onnxruntime
// here) can compare its torch module against the ONNX model. Used by train.py's initialization check.
//
//   node probe.mjs request.json response.json
//   request:  { "model": "x.onnx", "output": "name", "input_ids": [[...]], "attention_mask": [[...]] }
//   response: { "dims": [...], "data": [...] }
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const ort = createRequire(join(repoRoot, "packages/encoder/package.json"))("onnxruntime-node");
const req = JSON.parse(readFileSync(process.argv[2], "utf8"));
const tensor = (rows) => new ort.Tensor("int64", BigInt64Array.from(rows.flat().map((v) => BigInt(v))), [rows.length, rows[0].length]);
const session = await ort.InferenceSession.create(req.model, {
  intraOpNumThreads: 1,
  ...(process.env.PROBE_OPT ? { graphOptimizationLevel: process.env.PROBE_OPT } : {}),
});
const out = await session.run(
  {
    input_ids: tensor(req.input_ids),
    attention_mask: tensor(req.attention_mask),
    token_type_ids: tensor(req.input_ids.map((r) => r.map(() => 0))),
  },
  [req.output],
);
const t = out[req.output];
writeFileSync(process.argv[3], JSON.stringify({ dims: t.dims, data: Array.from(t.data) }));
