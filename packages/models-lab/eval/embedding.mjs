// STS-B dev Spearman correlation (cosine similarity vs the gold 0-5 scores, 1,500 pairs) of the embedded embedding
// model through embed() of the built @proj/encoder, with two baselines so the number means something:
//   - a bag-of-words baseline: TF-IDF cosine (lowercased word tokens, smoothed IDF counted on STS-B sts-train.csv);
//   - with --body DIR: another model folder embedded the same way (mean pooling, normalized), e.g. the untrained
//     fill-mask body exported as a feature-extraction model by training/embedding/export.py --ckpt embedding-init
//     (loaded in the same dtype as the model: int8 by default).
//
//   node packages/models-lab/eval/embedding.mjs [--model DIR] [--body DIR] [--dtype auto|fp32|q8] [--threads N] [--out FILE]
//
// Build first (npm run build). Reads ../shared/data/stsb/sts-dev.csv (evaluation only) and sts-train.csv (IDF only);
// writes packages/models-lab/eval/results/embedding.json. Also per genre (captions, news, forums).
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { embed } from "@proj/encoder";
import { dataDir, onnxFile, options, relative, writeResult } from "./lib.mjs";

/** STS-B rows: tab-separated, no header, the first 7 fields (some lines carry 2 more), no quote handling. */
export function stsb(file) {
  return readFileSync(join(dataDir(), "stsb", file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const f = l.split("\t");
      return { genre: f[0], score: Number(f[4]), a: f[5], b: f[6] };
    });
}

/** Ranks with ties averaged (as scipy.stats.rankdata). */
function ranks(xs) {
  const order = xs.map((x, i) => [x, i]).sort((p, q) => p[0] - q[0]);
  const r = new Array(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

function pearson(x, y) {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

export const spearman = (x, y) => pearson(ranks(x), ranks(y));

function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Spearman over all pairs and per genre, for one similarity per pair. */
function scores(rows, sims) {
  const genres = [...new Set(rows.map((r) => r.genre))];
  const per = Object.fromEntries(
    genres.map((g) => {
      const idx = rows.map((r, i) => (r.genre === g ? i : -1)).filter((i) => i >= 0);
      return [
        g,
        {
          pairs: idx.length,
          spearman: spearman(
            idx.map((i) => sims[i]),
            idx.map((i) => rows[i].score),
          ),
        },
      ];
    }),
  );
  const gold = rows.map((r) => r.score);
  return { spearman: spearman(sims, gold), pearson: pearson(sims, gold), byGenre: per };
}

async function modelScores(model, load, rows) {
  const started = performance.now();
  const a = await embed(
    rows.map((r) => r.a),
    { model, load, pooling: "mean", normalize: true },
  );
  const b = await embed(
    rows.map((r) => r.b),
    { model, load, pooling: "mean", normalize: true },
  );
  return {
    model: relative(model),
    ...scores(
      rows,
      a.map((v, i) => dot(v, b[i])),
    ),
    seconds: (performance.now() - started) / 1000,
  };
}

const words = (s) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** TF-IDF cosine; IDF smoothed as scikit-learn's (ln((1 + N) / (1 + df)) + 1), counted on the train sentences. */
function tfidfScores(train, rows) {
  const docs = train.flatMap((r) => [r.a, r.b]);
  const df = new Map();
  for (const d of docs) for (const w of new Set(words(d))) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w) => Math.log((1 + docs.length) / (1 + (df.get(w) ?? 0))) + 1;
  const vec = (s) => {
    const v = new Map();
    for (const w of words(s)) v.set(w, (v.get(w) ?? 0) + 1);
    for (const [w, tf] of v) v.set(w, tf * idf(w));
    return v;
  };
  const cos = (p, q) => {
    let s = 0;
    for (const [w, x] of p) s += x * (q.get(w) ?? 0);
    const n = Math.sqrt([...p.values()].reduce((t, x) => t + x * x, 0) * [...q.values()].reduce((t, x) => t + x * x, 0));
    return n === 0 ? 0 : s / n;
  };
  return {
    method: "TF-IDF cosine, lowercased word tokens, IDF from sts-train.csv",
    ...scores(
      rows,
      rows.map((r) => cos(vec(r.a), vec(r.b))),
    ),
  };
}

const opts = options("embedding", { body: { type: "string" } });
const dev = stsb("sts-dev.csv");
const train = stsb("sts-train.csv");
// dtype "auto" loads onnx/model.onnx when the folder has it, else the int8 graph (all the shipped folder has).
const dtype = opts.dtype !== "auto" ? opts.dtype : existsSync(join(opts.model, "onnx", "model.onnx")) ? "fp32" : "q8";
const result = {
  task: "sentence-similarity",
  data: "STS-B sts-dev.csv (dev split; never trained on)",
  pairs: dev.length,
  metric: "Spearman correlation of cosine similarity with the gold 0-5 scores",
  embedding: { ...(await modelScores(opts.model, opts.load, dev)), dtype, onnx: onnxFile(opts.model, dtype) },
  // The body is compared in the same weights as the model: int8 unless --dtype says otherwise.
  ...(opts.body ? { body: { ...(await modelScores(resolve(opts.body), { ...opts.load, dtype }, dev)), dtype } } : {}),
  tfidf: tfidfScores(train, dev),
};
const fmt = (s) => `${(100 * s.spearman).toFixed(2)} (captions ${(100 * s.byGenre["main-captions"].spearman).toFixed(2)})`;
console.log(`STS-B dev Spearman x100 over ${dev.length} pairs:`);
console.log(`  ${result.embedding.model}: ${fmt(result.embedding)}`);
if (result.body) console.log(`  ${result.body.model}: ${fmt(result.body)}`);
console.log(`  TF-IDF cosine: ${fmt(result.tfidf)}`);
writeResult(opts.out, result);
