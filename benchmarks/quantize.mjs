// int8 quantization (issue 17, item 4): what `quantize()` of @proj/core buys and costs, float32 and int8 side by side.
//
//   node benchmarks/quantize.mjs [--rounds 5] [--threads 2] [--only bench|embedded] [--embedded sentiment,ner,...] [--out FILE]
//
// 1. Bench-size models (`.cache/bench-models/`, built by packages/testing/builder/bench_models.py when missing):
//    the DistilBERT-shaped classifier (sentences/s, batch 32, 256 SST-2 dev sentences) and the GPT-2-small-shaped
//    decoder (greedy decode tokens/s: one 32-token prompt, 64 new tokens, end of text ignored). Contenders: float32
//    `onnx/model.onnx`, and `quantize()`'s int8 file in both modes (`fused`: DynamicQuantizeMatMul, `matmul-integer`:
//    DynamicQuantizeLinear + MatMulInteger), each in a folder of its own under `.cache/quantize-bench/`. Rounds are
//    interleaved (fp32, fused, matmul-integer, ...); medians, and the speed ratio int8 / fp32 computed per round. Also how
//    close the outputs are: max |logits difference| and label agreement on 64 sentences (batch 1), and for the decoder
//    how many greedy tokens equal float32's. Weights are random (shapes of real models): speed, not quality.
// 2. Embedded models (packages/models): they ship weight-only int8 files only; a float32 graph that computes what
//    they compute is rebuilt by folding their DequantizeLinear weights (benchmarks/embedded_fp32.py), quantized with
//    quantize(), and both are scored by packages/models-lab/eval/*.mjs on their held-out data (needs ../shared/data);
//    the caption generator by its token perplexity on Multi30k val, computed here.
//
// Writes benchmarks/results/quantize.json and prints markdown tables (the ones in docs/benchmarks.md).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { loadModel, quantize, Tensor } from "@proj/core";
import { createGenerator } from "@proj/decoder";
import { createClassifier } from "@proj/encoder";
import { InferenceSession } from "onnxruntime-node";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..");
const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    threads: { type: "string", default: "2" },
    only: { type: "string" },
    embedded: { type: "string" },
    out: { type: "string", default: join(here, "results", "quantize.json") },
  },
});
const rounds = Number(args.rounds);
const threads = Number(args.threads);
const work = join(repo, ".cache", "quantize-bench");
const benchModels = join(repo, ".cache", "bench-models");
const MODES = ["fused", "matmul-integer"];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
const mb = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;

/** A folder that shows `source`'s files (symlinks) with its own onnx/, so quantize() writes beside a link, not into the source. */
function mirror(source, target, onnxFiles) {
  mkdirSync(join(target, "onnx"), { recursive: true });
  for (const name of readdirSync(source)) {
    if (name === "onnx" || existsSync(join(target, name))) continue;
    symlinkSync(join(source, name), join(target, name));
  }
  for (const [name, from] of Object.entries(onnxFiles))
    if (!existsSync(join(target, "onnx", name))) symlinkSync(from, join(target, "onnx", name));
  return target;
}

/** int8 copies of a model folder, one per mode; quantized once and kept (delete .cache/quantize-bench to redo). */
async function quantizedVariants(name, source) {
  const variants = { fp32: source };
  const reports = {};
  for (const mode of MODES) {
    const dir = mirror(source, join(work, `${name}-${mode}`), { "model.onnx": join(source, "onnx", "model.onnx") });
    const started = performance.now();
    const report = await quantize(dir, { mode, overwrite: true });
    const [file] = report.files;
    reports[mode] = {
      seconds: (performance.now() - started) / 1000,
      bytesBefore: file.bytesBefore,
      bytesAfter: file.bytesAfter,
      weightBytes: file.weightBytes,
      quantized: file.quantized.length,
      skipped: file.skipped,
    };
    console.log(
      `${name} ${mode}: ${file.quantized.length} ops quantized, ${mb(file.bytesBefore)} -> ${mb(file.bytesAfter)} in ${reports[mode].seconds.toFixed(0)} s`,
    );
    variants[mode] = dir;
  }
  return { variants, reports };
}

function sst2Texts(count) {
  const file = join(repo, "..", "shared", "data", "sst2", "dev.tsv");
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .slice(1)
    .map((l) => l.split("\t")[0])
    .filter(Boolean);
  return lines.slice(0, count);
}

function ensureBenchModels() {
  const missing = ["distilbert", "gpt2"].filter((m) => !existsSync(join(benchModels, m, "bench-model.json")));
  if (!missing.length) return;
  const r = spawnSync("/usr/bin/python3", [join(repo, "packages/testing/builder/bench_models.py"), ...missing], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`bench_models.py ${missing.join(" ")} failed`);
}

async function benchClassification() {
  const { variants, reports } = await quantizedVariants("distilbert", join(benchModels, "distilbert"));
  const texts = sst2Texts(256);
  const handles = {};
  for (const [id, dir] of Object.entries(variants)) {
    handles[id] = await createClassifier(dir, { load: { threads, dtype: id === "fp32" ? "fp32" : "q8" } });
  }
  // Closeness: logits of 64 sentences one at a time, int8 against float32.
  const closeness = {};
  const logits = async (h, text) => {
    const model = h.model;
    const enc = await model.tokenizer.encode(text);
    const ids = (xs) => new Tensor("int64", BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
    const feeds = { input_ids: ids(enc.ids), attention_mask: ids(enc.attentionMask) };
    return (await model.session("model").run(feeds)).logits.data;
  };
  const argmax = (xs) => xs.indexOf(Math.max(...xs));
  for (const mode of MODES) {
    let max = 0;
    let same = 0;
    for (const text of texts.slice(0, 64)) {
      const a = [...(await logits(handles.fp32, text))];
      const b = [...(await logits(handles[mode], text))];
      max = Math.max(max, ...a.map((x, i) => Math.abs(x - b[i])));
      if (argmax(a) === argmax(b)) same++;
    }
    closeness[mode] = { maxAbsLogitsDiff: max, labelsEqual: same, of: 64 };
  }
  const times = Object.fromEntries(Object.keys(handles).map((id) => [id, []]));
  for (const h of Object.values(handles)) await h.classify(texts.slice(0, 64), { batchSize: 32 });
  for (let r = 0; r < rounds; r++) {
    for (const [id, h] of Object.entries(handles)) {
      const t = performance.now();
      await h.classify(texts, { batchSize: 32 });
      times[id].push(texts.length / ((performance.now() - t) / 1000));
    }
  }
  for (const h of Object.values(handles)) await h.dispose();
  return summarize("sentences/s", times, reports, closeness);
}

async function benchDecode() {
  const { variants, reports } = await quantizedVariants("gpt2", join(benchModels, "gpt2"));
  const handles = {};
  for (const [id, dir] of Object.entries(variants)) {
    handles[id] = await createGenerator(dir, { load: { threads, dtype: id === "fp32" ? "fp32" : "q8" } });
  }
  const tokenizer = handles.fp32.model.tokenizer;
  const text = sst2Texts(40).join(" ");
  const ids = (await tokenizer.encode(text)).ids.slice(0, 32);
  const prompt = await tokenizer.decode(ids);
  const options = { maxNewTokens: 64, eosTokenId: [] };
  const times = Object.fromEntries(Object.keys(handles).map((id) => [id, []]));
  const tokens = {};
  for (const [id, h] of Object.entries(handles)) tokens[id] = (await h.generate(prompt, { ...options, maxNewTokens: 16 })).tokenIds;
  for (let r = 0; r < rounds; r++) {
    for (const [id, h] of Object.entries(handles)) {
      const result = await h.generate(prompt, options);
      const m = result.metrics;
      times[id].push((result.tokenIds.length - 1) / (m.decodeMs / 1000));
      tokens[id] = result.tokenIds;
    }
  }
  const closeness = {};
  for (const mode of MODES) {
    const a = tokens.fp32;
    const b = tokens[mode];
    let first = a.findIndex((t, i) => t !== b[i]);
    if (first < 0) first = a.length;
    closeness[mode] = { greedyTokensEqualBeforeFirstDifference: first, of: a.length };
  }
  for (const h of Object.values(handles)) await h.dispose();
  return summarize("decode tokens/s", times, reports, closeness);
}

function summarize(unit, times, reports, closeness) {
  const out = { unit, fp32: { median: median(times.fp32), all: times.fp32 } };
  for (const mode of MODES) {
    const ratios = times[mode].map((x, i) => x / times.fp32[i]);
    out[mode] = {
      median: median(times[mode]),
      all: times[mode],
      ratio: median(ratios),
      ratioRange: range(ratios),
      ...reports[mode],
      ...closeness[mode],
    };
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ embedded models
const EMBEDDED = [
  { name: "sentiment", graphs: ["model"], script: "sentiment.mjs", score: (r) => ["SST-2 dev accuracy", r.accuracy * 100] },
  { name: "ner", graphs: ["model"], script: "ner.mjs", score: (r) => ["CoNLL-2003 testa entity F1", r.f1 * 100] },
  { name: "embedding", graphs: ["model"], script: "embedding.mjs", score: (r) => ["STS-B dev Spearman", r.stsb.embedding.spearman * 100] },
  // Perplexity here, not by eval/generation.mjs: that script reads logits at every position from loadModel(), which
  // now gives the last position only (the prefill rewrite); a bare ONNX Runtime session computes them all.
  { name: "generation", graphs: ["model"], perplexity: true, score: (r) => ["Multi30k val token perplexity (lower is better)", r] },
  {
    name: "translation-en-de",
    graphs: ["encoder_model", "decoder_model_merged"],
    script: "translation.mjs",
    extra: ["--limit", "300"],
    named: true,
    score: (r) => ["Multi30k test BLEU, greedy, 300 sentences", r.greedy.bleu],
  },
];

/** Token perplexity of a GPT-2-style graph on Multi30k val.en (each caption as <eot> caption <eot>, one at a time). */
async function perplexity(file, dir) {
  const session = await InferenceSession.create(file, { intraOpNumThreads: threads });
  const model = await loadModel(dir, { dtype: "fp32", threads: 1 });
  const eot = model.config.eosTokenIds[0] ?? 0;
  const captions = gunzipSync(readFileSync(join(repo, "..", "shared", "data", "multi30k", "val.en.gz")))
    .toString("utf8")
    .split("\n")
    .filter(Boolean);
  const past = session.inputNames.filter((n) => n.startsWith("past_key_values"));
  const meta = Object.fromEntries(session.inputMetadata.map((i) => [i.name, i.shape]));
  const long = (xs) => new Tensor("int64", BigInt64Array.from(xs.map(BigInt)), [1, xs.length]);
  let nll = 0;
  let tokens = 0;
  for (const caption of captions) {
    const ids = [eot, ...(await model.tokenizer.encode(caption, { addSpecialTokens: false })).ids, eot];
    const feeds = { input_ids: long(ids), attention_mask: long(ids.map(() => 1)), position_ids: long(ids.map((_, i) => i)) };
    for (const name of past) {
      const [, heads, , size] = meta[name];
      feeds[name] = new Tensor("float32", new Float32Array(0), [1, heads, 0, size]);
    }
    const logits = (await session.run(feeds, ["logits"])).logits;
    const vocab = logits.dims[2];
    for (let t = 0; t + 1 < ids.length; t++) {
      const row = logits.data.subarray(t * vocab, (t + 1) * vocab);
      let max = -Infinity;
      for (const x of row) max = Math.max(max, x);
      let sum = 0;
      for (const x of row) sum += Math.exp(x - max);
      nll += Math.log(sum) + max - row[ids[t + 1]];
      tokens++;
    }
  }
  await Promise.all([model.dispose(), session.release()]);
  return Math.exp(nll / tokens);
}

async function benchEmbedded() {
  const modelsDir = join(repo, "packages", "models", "models");
  const rows = [];
  const wanted = args.embedded?.split(",");
  for (const m of EMBEDDED.filter((e) => !wanted || wanted.includes(e.name))) {
    const source = join(modelsDir, m.name);
    const dir = join(work, "embedded", m.name);
    mirror(source, dir, {});
    for (const graph of m.graphs) {
      const fp32 = join(dir, "onnx", `${graph}.onnx`);
      if (!existsSync(fp32)) {
        const r = spawnSync("/usr/bin/python3", [join(here, "embedded_fp32.py"), join(source, "onnx", `${graph}_quantized.onnx`), fp32], {
          stdio: "inherit",
        });
        if (r.status !== 0) throw new Error(`embedded_fp32.py failed for ${m.name}/${graph}`);
      }
    }
    const report = await quantize(dir, { overwrite: true });
    const scores = {};
    for (const dtype of ["fp32", "q8"]) {
      if (m.perplexity) {
        scores[dtype] = m.score(await perplexity(join(dir, "onnx", dtype === "fp32" ? "model.onnx" : "model_quantized.onnx"), dir));
        continue;
      }
      const out = join(work, "embedded", `${m.name}.${dtype}.json`);
      const name = `.quantize-bench-${m.name}-${dtype}`;
      const cli = ["--model", dir, "--dtype", dtype, ...(m.extra ?? []), ...(m.named ? ["--name", name] : ["--out", out])];
      const r = spawnSync(process.execPath, [join(repo, "packages/models-lab/eval", m.script), ...cli], {
        stdio: ["ignore", "inherit", "inherit"],
      });
      if (r.status !== 0) throw new Error(`${m.script} --dtype ${dtype} failed`);
      const written = m.named ? join(repo, "packages/models-lab/eval/results", `${name}.json`) : out;
      const result = JSON.parse(readFileSync(written, "utf8"));
      if (m.named) rmSync(written);
      scores[dtype] = m.score(result);
    }
    const bytes = (suffix) => m.graphs.reduce((n, g) => n + statSync(join(dir, "onnx", `${g}${suffix}.onnx`)).size, 0);
    rows.push({
      model: m.name,
      metric: scores.fp32[0],
      fp32: scores.fp32[1],
      q8: scores.q8[1],
      delta: scores.q8[1] - scores.fp32[1],
      bytesFp32: bytes(""),
      bytesQ8: bytes("_quantized"),
      opsQuantized: report.files.reduce((n, f) => n + f.quantized.length, 0),
    });
    console.log(rows.at(-1));
  }
  return rows;
}

// ------------------------------------------------------------------------------------------------ run and report
const result = { date: new Date().toISOString(), threads, rounds };
if (args.only !== "embedded") {
  ensureBenchModels();
  result.classification = await benchClassification();
  result.decode = await benchDecode();
}
if (args.only !== "bench") result.embedded = await benchEmbedded();
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);

const lines = [];
for (const [label, r] of [
  ["DistilBERT-shaped classifier, batch 32", result.classification],
  ["GPT-2-small-shaped decoder, greedy decode", result.decode],
]) {
  if (!r) continue;
  lines.push(
    `| ${label} | ${r.unit} | ${r.fp32.median.toFixed(1)} | ${MODES.map((m) => `${r[m].median.toFixed(1)} (**${r[m].ratio.toFixed(2)}×**, ${r[m].ratioRange})`).join(" | ")} |`,
  );
}
if (lines.length) {
  console.log("\n| model | unit | fp32 | q8 fused (÷ fp32) | q8 matmul-integer (÷ fp32) |\n| --- | --- | ---: | ---: | ---: |");
  console.log(lines.join("\n"));
}
if (result.embedded) {
  console.log("\n| model | score | fp32 | q8 | delta | size fp32 → q8 |\n| --- | --- | ---: | ---: | ---: | ---: |");
  for (const r of result.embedded) {
    console.log(
      `| ${r.model} | ${r.metric} | ${r.fp32.toFixed(2)} | ${r.q8.toFixed(2)} | ${r.delta >= 0 ? "+" : ""}${r.delta.toFixed(2)} | ${mb(r.bytesFp32)} → ${mb(r.bytesQ8)} |`,
    );
  }
}
console.log(`\nwrote ${args.out}`);
