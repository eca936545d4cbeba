// Shared plumbing of the evaluation scripts: arguments, paths, the shared data folder, result files.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";

export const evalDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(evalDir, "../../..");
/** The embedded model folders, as installed with @proj/models. */
export const modelsDir = join(dirname(createRequire(import.meta.url).resolve("@proj/models/package.json")), "models");

/**
 * Parses the common options: `--model <folder>` (default: the embedded model), `--dtype auto|fp32|q8|fp16`,
 * `--threads n`, `--out <file.json>` (default: results/<name>.json, or results/<name>.<dtype>.json with --dtype).
 */
export function options(name, extra = {}) {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      dtype: { type: "string", default: "auto" },
      threads: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", default: false },
      ...extra,
    },
  });
  if (values.help) {
    console.log(`usage: node packages/models-lab/eval/${name}.mjs [--model DIR] [--dtype auto|fp32|q8|fp16] [--threads N] [--out FILE]`);
    process.exit(0);
  }
  const model = resolve(values.model ?? join(modelsDir, name));
  const out = resolve(values.out ?? join(evalDir, "results", values.dtype === "auto" ? `${name}.json` : `${name}.${values.dtype}.json`));
  const load = { dtype: values.dtype, ...(values.threads ? { threads: Number(values.threads) } : {}) };
  return { ...values, model, out, load };
}

/** The shared data folder (`../shared/data` beside the repository, or `$PROJ_SHARED_DIR/data`); exits when absent. */
export function dataDir() {
  const candidates = [
    process.env.PROJ_SHARED_DIR ? join(process.env.PROJ_SHARED_DIR, "data") : undefined,
    resolve(repoRoot, "../shared/data"),
  ];
  const found = candidates.find((d) => d !== undefined && existsSync(d));
  if (!found) {
    console.error("../shared/data is absent (a fresh clone without the shared data folder): nothing to evaluate");
    process.exit(2);
  }
  return found;
}

export function sst2(split) {
  return readFileSync(join(dataDir(), "sst2", `${split}.tsv`), "utf8")
    .split("\n")
    .filter((l) => l.includes("\t"))
    .map((l) => {
      const tab = l.lastIndexOf("\t");
      return { text: l.slice(0, tab), label: Number(l.slice(tab + 1)) };
    });
}

/** CoNLL-2003 sentences: arrays of `{ word, tag }` (the last column), document separators dropped. */
export function conll(name) {
  const sentences = [];
  let words = [];
  for (const line of readFileSync(join(dataDir(), "conll2003", name), "utf8").split("\n")) {
    if (line.trim() === "" || line.startsWith("-DOCSTART-")) {
      if (words.length) sentences.push(words);
      words = [];
    } else {
      const cols = line.split(" ");
      words.push({ word: cols[0], tag: cols[cols.length - 1] });
    }
  }
  if (words.length) sentences.push(words);
  return sentences;
}

export function captions(name) {
  return gunzipSync(readFileSync(join(dataDir(), "multi30k", name)))
    .toString("utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
}

/** The ONNX file a dtype maps to, and its size. */
export function onnxFile(model, dtype) {
  const suffix = { fp32: "", fp16: "_fp16", q8: "_quantized", int8: "_int8", uint8: "_uint8", q4: "_q4" }[dtype] ?? "";
  const file = join(model, "onnx", `model${suffix}.onnx`);
  return { file: file.slice(repoRoot.length + 1), bytes: existsSync(file) ? statSync(file).size : undefined };
}

export function writeResult(out, result) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${relative(out)}`);
}

export function relative(path) {
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length + 1) : path;
}
