// Held-out scores of the embedded embedding model through embed() of the built @proj/encoder, with baselines so the
// numbers mean something:
//   1. STS-B dev Spearman correlation (cosine similarity vs the gold 0-5 scores, 1,500 pairs);
//   2. English <-> German caption retrieval over Multi30k test_2016_flickr (1,000 line-aligned caption pairs): every
//      English caption queries the 1,000 German ones (en->de) and the other way round (de->en); the query's own
//      translation is the answer; recall@1, @5, @10 (share of queries whose answer ranks within the top k by cosine).
// Baselines, scored on both:
//   - bag of words: TF-IDF cosine over lowercased word tokens (smoothed IDF counted on STS-B sts-train.csv for STS-B,
//     on Multi30k train.en + train.de for retrieval);
//   - character n-grams: TF-IDF cosine over lowercased character 3- to 5-grams of each word padded with spaces (as
//     scikit-learn's char_wb analyzer), same IDF sources; it matches names, numbers and cognates across languages;
//   - with --body DIR: another model folder embedded the same way (mean pooling, normalized), e.g. the untrained
//     fill-mask body exported as a feature-extraction model by training/embedding/export.py --ckpt embedding-init
//     (loaded in the same dtype as the model: int8 by default).
//
//   node packages/models-lab/eval/embedding.mjs [--model DIR] [--body DIR] [--dtype auto|fp32|q8] [--threads N] [--out FILE]
//
// Build first (npm run build). Reads ../shared/data/stsb/sts-dev.csv and multi30k/test_2016_flickr.{en,de}.gz
// (evaluation only), sts-train.csv and multi30k/train.{en,de}.gz (IDF only); writes
// packages/models-lab/eval/results/embedding.json. STS-B also per genre (captions, news, forums).
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { embed } from "@proj/encoder";
import { captions, dataDir, onnxFile, options, relative, writeResult } from "./lib.mjs";

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

/** Character 3- to 5-grams of each lowercased word padded with one space on each side (scikit-learn's char_wb). */
function charNgrams(s) {
  const out = [];
  for (const w of words(s)) {
    const p = [..." ", ...w, " "];
    for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= p.length; i++) out.push(p.slice(i, i + n).join(""));
    if (p.length < 3) out.push(p.join(""));
  }
  return out;
}

const ANALYZERS = {
  words: { features: words, method: "TF-IDF cosine, lowercased word tokens" },
  chars: { features: charNgrams, method: "TF-IDF cosine, character 3-5-grams of lowercased words (char_wb)" },
};

/**
 * A TF-IDF vectorizer: IDF smoothed as scikit-learn's (ln((1 + N) / (1 + df)) + 1), counted on `docs`;
 * vectors are L2-normalized sparse maps.
 */
function tfidf(features, docs) {
  const df = new Map();
  for (const d of docs) for (const w of new Set(features(d))) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w) => Math.log((1 + docs.length) / (1 + (df.get(w) ?? 0))) + 1;
  return (s) => {
    const v = new Map();
    for (const w of features(s)) v.set(w, (v.get(w) ?? 0) + 1);
    let norm = 0;
    for (const [w, tf] of v) {
      v.set(w, tf * idf(w));
      norm += (tf * idf(w)) ** 2;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [w, x] of v) v.set(w, x / norm);
    return v;
  };
}

function sparseDot(p, q) {
  let s = 0;
  const [small, large] = p.size <= q.size ? [p, q] : [q, p];
  for (const [w, x] of small) s += x * (large.get(w) ?? 0);
  return s;
}

function tfidfScores(analyzer, train, rows) {
  const vec = tfidf(
    analyzer.features,
    train.flatMap((r) => [r.a, r.b]),
  );
  return {
    method: `${analyzer.method}, IDF from sts-train.csv`,
    ...scores(
      rows,
      rows.map((r) => sparseDot(vec(r.a), vec(r.b))),
    ),
  };
}

/**
 * Retrieval recall@k both ways, from a similarity function over the query and candidate lists (index i of one list
 * is the translation of index i of the other). Ties count against the query: the answer is within the top k when
 * fewer than k other candidates score at least as high.
 */
function recall(sim, n, ks = [1, 5, 10]) {
  const hits = Object.fromEntries(ks.map((k) => [k, 0]));
  for (let q = 0; q < n; q++) {
    const row = sim(q);
    const answer = row[q];
    let above = 0;
    for (let c = 0; c < n; c++) if (c !== q && row[c] >= answer) above++;
    for (const k of ks) if (above < k) hits[k]++;
  }
  return Object.fromEntries(ks.map((k) => [`recall@${k}`, hits[k] / n]));
}

function retrievalFromVectors(en, de, similarity) {
  const n = en.length;
  return {
    "en->de": recall((q) => de.map((d) => similarity(en[q], d)), n),
    "de->en": recall((q) => en.map((e) => similarity(de[q], e)), n),
  };
}

async function modelRetrieval(model, load, pairs) {
  const started = performance.now();
  const en = await embed(pairs.en, { model, load, pooling: "mean", normalize: true });
  const de = await embed(pairs.de, { model, load, pooling: "mean", normalize: true });
  return { model: relative(model), ...retrievalFromVectors(en, de, dot), seconds: (performance.now() - started) / 1000 };
}

function tfidfRetrieval(analyzer, pairs) {
  const vec = tfidf(analyzer.features, [...captions("train.en.gz"), ...captions("train.de.gz")]);
  return {
    method: `${analyzer.method}, IDF from Multi30k train.en + train.de`,
    ...retrievalFromVectors(pairs.en.map(vec), pairs.de.map(vec), sparseDot),
  };
}

const opts = options("embedding", { body: { type: "string" } });
const dev = stsb("sts-dev.csv");
const train = stsb("sts-train.csv");
const test = { en: captions("test_2016_flickr.en.gz"), de: captions("test_2016_flickr.de.gz") };
if (test.en.length !== test.de.length) throw new Error("test_2016_flickr.en / .de are not line-aligned");
// dtype "auto" loads onnx/model.onnx when the folder has it, else the int8 graph (all the shipped folder has).
const dtype = opts.dtype !== "auto" ? opts.dtype : existsSync(join(opts.model, "onnx", "model.onnx")) ? "fp32" : "q8";
// The body is compared in the same weights as the model: int8 unless --dtype says otherwise.
const bodyLoad = { ...opts.load, dtype };
const result = {
  task: "sentence-similarity",
  stsb: {
    data: "STS-B sts-dev.csv (dev split; never trained on)",
    pairs: dev.length,
    metric: "Spearman correlation of cosine similarity with the gold 0-5 scores",
    embedding: { ...(await modelScores(opts.model, opts.load, dev)), dtype, onnx: onnxFile(opts.model, dtype) },
    ...(opts.body ? { body: { ...(await modelScores(resolve(opts.body), bodyLoad, dev)), dtype } } : {}),
    tfidf: tfidfScores(ANALYZERS.words, train, dev),
    charTfidf: tfidfScores(ANALYZERS.chars, train, dev),
  },
  retrieval: {
    data: "Multi30k test_2016_flickr.en / .de (test split; never trained on): 1,000 caption pairs",
    candidates: test.en.length,
    metric: "recall@k of the query's translation among all candidates of the other language, by cosine",
    embedding: { ...(await modelRetrieval(opts.model, opts.load, test)), dtype },
    ...(opts.body ? { body: { ...(await modelRetrieval(resolve(opts.body), bodyLoad, test)), dtype } } : {}),
    tfidf: tfidfRetrieval(ANALYZERS.words, test),
    charTfidf: tfidfRetrieval(ANALYZERS.chars, test),
  },
};
const pct = (x) => (100 * x).toFixed(2);
const fmt = (s) => `${pct(s.spearman)} (captions ${pct(s.byGenre["main-captions"].spearman)})`;
const names = {
  embedding: result.stsb.embedding.model,
  body: result.stsb.body?.model,
  tfidf: "word TF-IDF",
  charTfidf: "char n-gram TF-IDF",
};
console.log(`STS-B dev Spearman x100 over ${dev.length} pairs:`);
for (const [k, name] of Object.entries(names)) if (result.stsb[k]) console.log(`  ${name}: ${fmt(result.stsb[k])}`);
console.log(`Multi30k test_2016 retrieval over ${test.en.length} candidates, recall@1 / @5 / @10 (%):`);
const rec = (r) => ["recall@1", "recall@5", "recall@10"].map((k) => pct(r[k])).join(" / ");
for (const [k, name] of Object.entries(names)) {
  const r = result.retrieval[k];
  if (r) console.log(`  ${name}: en->de ${rec(r["en->de"])}; de->en ${rec(r["de->en"])}`);
}
writeResult(opts.out, result);
