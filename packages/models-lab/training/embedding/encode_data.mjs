// Tokenizes the training data of the bilingual embedding model with its vocabulary (train_tokenizer.mjs:
// workDir/tokenizer/bilingual.tokenizer.json, or EMBEDDING_TOKENIZER=<tokenizer.json>, e.g. the shipped
// packages/models/models/embedding/tokenizer.json), so Python trains on exactly the ids the SDK feeds at inference.
//
//   node packages/models-lab/training/embedding/encode_data.mjs [workDir]
//
// Writes workDir/data/*.json (git-ignored; default packages/models-lab/training/embedding/.cache):
//   mlm.json          masked-LM text: Multi30k train.en + train.de, SST-2 glue_train.tsv.gz phrases, STS-B
//                     sts-train.csv sentences, CoNLL-2003 eng.train sentences (train splits only)
//   pairs-train.json  Multi30k train.en / train.de, line-aligned (caption and its translation)
//   pairs-val.json    Multi30k val.en / val.de (model selection: en<->de retrieval)
//   stsb-train.json   STS-B sts-train.csv pairs (ids of both sentences + score); train.py holds out a slice of it
// Any sentence (or caption pair whose English side is) equal to an STS-B dev sentence is dropped, so no dev text is
// trained on, even unlabeled. STS-B dev and Multi30k test_2016 are never read for training: the evaluation
// (packages/models-lab/eval/embedding.mjs) reads them through embed().
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../../..");
const require = createRequire(join(repoRoot, "packages/models-lab/package.json")); // tokenizers, a dependency of @proj/models-lab
const tk = require("tokenizers");
const workDir = resolve(process.argv[2] ?? process.env.EMBEDDING_WORK_DIR ?? join(here, ".cache"));
const dataDir = resolve(process.env.PROJ_SHARED_DIR ? join(process.env.PROJ_SHARED_DIR, "data") : join(repoRoot, "../shared/data"));
const outDir = join(workDir, "data");
mkdirSync(outDir, { recursive: true });

const tokenizerFile = resolve(process.env.EMBEDDING_TOKENIZER ?? join(workDir, "tokenizer", "bilingual.tokenizer.json"));
if (!existsSync(tokenizerFile)) throw new Error(`${tokenizerFile} is missing: run train_tokenizer.mjs first`);
const tokenizer = tk.Tokenizer.fromFile(tokenizerFile);

/** STS-B rows: tab-separated, no header, first 7 fields (some lines carry 2 more), no quote handling. */
export function stsb(file) {
  return readFileSync(join(dataDir, "stsb", file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const f = l.split("\t");
      return { genre: f[0], score: Number(f[4]), a: f[5], b: f[6] };
    });
}

const gz = (path) => gunzipSync(readFileSync(join(dataDir, path))).toString("utf8");
/** Multi30k lines, kept line-aligned (no filtering of empty lines: there are none, and alignment matters). */
const captions = (name) => gz(`multi30k/${name}`).replace(/\n$/, "").split("\n");

async function ids(texts) {
  const out = [];
  for (let i = 0; i < texts.length; i += 1000) {
    const encs = await tokenizer.encodeBatch(texts.slice(i, i + 1000));
    for (const e of encs) out.push(e.getIds());
  }
  return out;
}

const norm = (s) =>
  s
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[ .]+$/, "");
const devSentences = new Set(stsb("sts-dev.csv").flatMap((r) => [norm(r.a), norm(r.b)]));
const notDev = (s) => s.trim() !== "" && !devSentences.has(norm(s));

const trainEn = captions("train.en.gz");
const trainDe = captions("train.de.gz");
if (trainEn.length !== trainDe.length) throw new Error("train.en / train.de are not line-aligned");
const keep = trainEn.map((s, i) => notDev(s) && trainDe[i].trim() !== "");
const en = trainEn.filter((_, i) => keep[i]);
const de = trainDe.filter((_, i) => keep[i]);
writeFileSync(join(outDir, "pairs-train.json"), JSON.stringify({ en: await ids(en), de: await ids(de) }));
console.log(
  `pairs-train: ${en.length} of ${trainEn.length} Multi30k train pairs (${trainEn.length - en.length} dropped: English side is an STS-B dev sentence)`,
);

const valEn = captions("val.en.gz");
const valDe = captions("val.de.gz");
writeFileSync(join(outDir, "pairs-val.json"), JSON.stringify({ en: await ids(valEn), de: await ids(valDe) }));
console.log(`pairs-val: ${valEn.length} Multi30k val pairs`);

const train = stsb("sts-train.csv");
writeFileSync(
  join(outDir, "stsb-train.json"),
  JSON.stringify({
    a: await ids(train.map((r) => r.a)),
    b: await ids(train.map((r) => r.b)),
    score: train.map((r) => r.score),
    genre: train.map((r) => r.genre),
  }),
);
console.log(`stsb-train: ${train.length} pairs, ${train.filter((r) => r.score >= 4).length} with score >= 4`);

const glue = gz("sst2/glue_train.tsv.gz")
  .split("\n")
  .slice(1)
  .filter((l) => l.includes("\t"))
  .map((l) => l.slice(0, l.lastIndexOf("\t")).trim());
const conll = [];
let words = [];
for (const line of readFileSync(join(dataDir, "conll2003", "eng.train"), "utf8").split("\n")) {
  if (line.trim() === "" || line.startsWith("-DOCSTART-")) {
    if (words.length) conll.push(words.join(" "));
    words = [];
  } else words.push(line.split(" ")[0]);
}
if (words.length) conll.push(words.join(" "));
const sources = {
  "multi30k train.en": en,
  "multi30k train.de": de,
  "sst2 glue_train": glue,
  "stsb train": train.flatMap((r) => [r.a, r.b]),
  "conll eng.train": conll,
};
const mlm = [];
for (const [name, texts] of Object.entries(sources)) {
  const kept = texts.filter(notDev);
  mlm.push(...kept);
  console.log(`mlm: ${kept.length} sentences from ${name}`);
}
const mlmIds = await ids(mlm);
writeFileSync(join(outDir, "mlm.json"), JSON.stringify({ ids: mlmIds }));
console.log(`mlm: ${mlm.length} sentences, ${mlmIds.reduce((s, r) => s + r.length, 0)} pieces with [CLS]/[SEP]`);
