// Embeds texts with embed() of the built @proj/encoder on a model folder, and tokenizes them with the folder's
// tokenizer.json (npm `tokenizers`), so verify.py can compare the shipped graph with the torch checkpoint.
//
//   node verify.mjs <modelDir> <request.json> <response.json>
//   request:  { "texts": [...] }
//   response: { "ids": number[][], "vectors": number[][] }
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const require = createRequire(join(repoRoot, "packages/models-lab/package.json"));
const tk = require("tokenizers");
const { embed } = await import(require.resolve("@proj/encoder"));
const [model, reqFile, resFile] = process.argv.slice(2);
const { texts } = JSON.parse(readFileSync(reqFile, "utf8"));
const tokenizer = tk.Tokenizer.fromFile(join(model, "tokenizer.json"));
const ids = [];
for (const t of texts) ids.push((await tokenizer.encode(t)).getIds());
const vectors = await embed(texts, { model: resolve(model), load: { dtype: "q8", threads: 1 }, pooling: "mean", normalize: true });
writeFileSync(resFile, JSON.stringify({ ids, vectors: vectors.map((v) => Array.from(v)) }));
