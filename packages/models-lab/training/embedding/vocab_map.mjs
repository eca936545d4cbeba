// Maps every entry of the bilingual vocabulary to pieces of the fill-mask model's vocabulary (the English body this
// model starts from), so pretrain.py can initialize the new word embeddings from the pretrained ones:
//
//   node packages/models-lab/training/embedding/vocab_map.mjs [workDir]
//
// An entry the fill-mask vocabulary has (same string, "##" included) maps to that piece; any other entry (mostly
// German words and pieces) maps to the pieces the fill-mask tokenizer cuts its text into (a "##" entry: the pieces of
// its text as a word's continuation, i.e. after a one-letter stem that is then dropped), and its embedding starts as
// their mean. Writes workDir/data/vocab-map.json: { map: number[][] } indexed by the new ids.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../../..");
const require = createRequire(join(repoRoot, "packages/models-lab/package.json"));
const tk = require("tokenizers");
const workDir = resolve(process.argv[2] ?? process.env.EMBEDDING_WORK_DIR ?? join(here, ".cache"));
mkdirSync(join(workDir, "data"), { recursive: true });

const oldFile = join(repoRoot, "packages/models/models/fill-mask/tokenizer.json");
const newFile = resolve(process.env.EMBEDDING_TOKENIZER ?? join(workDir, "tokenizer", "bilingual.tokenizer.json"));
const oldVocab = JSON.parse(readFileSync(oldFile, "utf8")).model.vocab;
const newVocab = JSON.parse(readFileSync(newFile, "utf8")).model.vocab;
const old = tk.Tokenizer.fromFile(oldFile);

const map = new Array(Object.keys(newVocab).length);
let same = 0;
for (const [t, id] of Object.entries(newVocab)) {
  if (oldVocab[t] !== undefined) {
    map[id] = [oldVocab[t]];
    same++;
    continue;
  }
  const cont = t.startsWith("##");
  const text = cont ? `a${t.slice(2)}` : t;
  const enc = await old.encode(text, null, { addSpecialTokens: false });
  let pieces = enc.getIds();
  // a "##" entry: drop the piece that covers the stem "a" (when "a" is a piece of its own)
  if (cont && enc.getTokens()[0] === "a" && pieces.length > 1) pieces = pieces.slice(1);
  map[id] = pieces.length ? pieces : [oldVocab["[UNK]"]];
}
writeFileSync(join(workDir, "data", "vocab-map.json"), JSON.stringify({ map }));
console.log(
  `vocab-map: ${same} of ${map.length} entries also in the fill-mask vocabulary; the rest start as the mean of their fill-mask pieces`,
);
