// Tokenizes the contrastive training data with the fill-mask model's own tokenizer (the shipped
// packages/models/models/fill-mask/tokenizer.json, cased WordPiece, 8,000 entries), so Python trains on exactly the
// ids the SDK feeds at inference.
//
//   node packages/models-lab/training/embedding/encode_data.mjs [workDir]
//
// Writes workDir/data/*.json (git-ignored; default packages/models-lab/training/embedding/.cache):
//   captions.json     Multi30k train.en captions (SimCSE: each one is its own positive through dropout), minus any
//                     caption that is also an STS-B dev sentence (so no dev text is trained on, even unlabeled)
//   stsb-train.json   STS-B sts-train.csv pairs (ids of both sentences + score), all of them; train.py splits off its
//                     held-out slice for model selection
// STS-B dev is never read here: the evaluation (packages/models-lab/eval/embedding.mjs) reads it through embed().
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

const tokenizer = tk.Tokenizer.fromFile(join(repoRoot, "packages/models/models/fill-mask/tokenizer.json"));

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
const allCaptions = gunzipSync(readFileSync(join(dataDir, "multi30k", "train.en.gz")))
  .toString("utf8")
  .split("\n")
  .filter((l) => l.trim() !== "");
const captions = allCaptions.filter((c) => !devSentences.has(norm(c)));
writeFileSync(join(outDir, "captions.json"), JSON.stringify({ ids: await ids(captions) }));
console.log(
  `captions: ${captions.length} of ${allCaptions.length} Multi30k train.en (${allCaptions.length - captions.length} equal to an STS-B dev sentence dropped)`,
);

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
