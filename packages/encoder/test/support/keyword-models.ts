import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FixtureName, fixture } from "@proj/testing";
import { gatherModel, type ValueSpec } from "./onnx-writer.js";

const VOCAB = 30522;
const TOKEN_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

/** A model folder built from a fixture's config and tokenizer, with a keyword graph in onnx/model.onnx. */
function modelFolder(base: FixtureName, label: string, onnx: Uint8Array, configPatch: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `proj-encoder-${label}-`));
  mkdirSync(join(dir, "onnx"));
  for (const file of TOKEN_FILES) copyFileSync(join(fixture(base), file), join(dir, file));
  const config = JSON.parse(readFileSync(join(fixture(base), "config.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(dir, "config.json"), JSON.stringify({ ...config, ...configPatch }, null, 2));
  writeFileSync(join(dir, "onnx", "model.onnx"), onnx);
  return dir;
}

/** Inputs of the keyword graphs: no token_type_ids, so tests also check that only declared inputs are fed. */
const INPUTS: ValueSpec[] = [
  { name: "input_ids", type: "int64", dims: ["batch_size", "sequence_length"] },
  { name: "attention_mask", type: "int64", dims: ["batch_size", "sequence_length"] },
];

/**
 * A question-answering model that always answers the span from `startToken` to `endToken`: their start/end logits
 * are `boost`, every other token's 0, wherever they stand.
 */
export function keywordQaModel(startToken: number, endToken: number, boost = 8): string {
  const start = new Float32Array(VOCAB);
  const end = new Float32Array(VOCAB);
  start[startToken] = boost;
  end[endToken] = boost;
  const onnx = gatherModel(
    INPUTS,
    [
      { name: "start_logits", type: "float32", dims: ["batch_size", "sequence_length"] },
      { name: "end_logits", type: "float32", dims: ["batch_size", "sequence_length"] },
    ],
    [
      { name: "start_table", dims: [VOCAB], data: start },
      { name: "end_table", dims: [VOCAB], data: end },
    ],
    [
      { table: "start_table", indices: "input_ids", output: "start_logits" },
      { table: "end_table", indices: "input_ids", output: "end_logits" },
    ],
  );
  return modelFolder("bert-qa", "kw-qa", onnx);
}

/**
 * A token-classification model (the bert-token-cls labels) that tags chosen token ids with chosen labels and
 * everything else `O`, wherever they stand.
 */
export function keywordNerModel(tags: ReadonlyMap<number, number>, numLabels = 9): string {
  const table = new Float32Array(VOCAB * numLabels);
  for (let id = 0; id < VOCAB; id++) table[id * numLabels] = 4; // O
  for (const [id, label] of tags) table[id * numLabels + label] = 9;
  const onnx = gatherModel(
    INPUTS,
    [{ name: "logits", type: "float32", dims: ["batch_size", "sequence_length", numLabels] }],
    [{ name: "table", dims: [VOCAB, numLabels], data: table }],
    [{ table: "table", indices: "input_ids", output: "logits" }],
  );
  return modelFolder("bert-token-cls", "kw-ner", onnx);
}

/** A copy of a fixture with a patched config.json (e.g. a multi-label `problem_type`). */
export function patchedFixture(base: FixtureName, configPatch: Record<string, unknown>): string {
  return modelFolder(base, `patched-${base}`, readFileSync(join(fixture(base), "onnx", "model.onnx")), configPatch);
}
