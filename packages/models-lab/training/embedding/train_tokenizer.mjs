// Trains the bilingual (English + German) cased WordPiece vocabulary of the embedding model, the way the encoder
// models' vocabulary is trained (../encoder/train_tokenizer.mjs: the npm `tokenizers` binding's default WordPiece
// trainer, whose entries come in learning order, cut to the first VOCAB_SIZE - 5 and the five BERT special tokens
// put in front), on other text:
//
//   node packages/models-lab/training/embedding/train_tokenizer.mjs [workDir]
//
// Training text, train splits only: Multi30k train.en and train.de (29,000 captions each), STS-B sts-train.csv
// sentences, SST-2 train.tsv sentences, CoNLL-2003 eng.train (tokens joined with spaces). No dev or test text.
// Writes workDir/tokenizer/bilingual.tokenizer.json (workDir defaults to .cache beside this script, git-ignored).
// Like the encoder vocabulary, not bit-for-bit reproducible (ties between equally frequent pairs are broken in a hash
// map's order); the shipped packages/models/models/embedding/tokenizer.json is the one the shipped model uses.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { captionLines, conllSentences, SPECIALS, sstRows, tokenizerJson } from "../encoder/train_tokenizer.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../../..");
const require = createRequire(join(repoRoot, "packages/models-lab/package.json"));
const tk = require("tokenizers");
const dataDir = resolve(repoRoot, "../shared/data");
const workDir = resolve(process.argv[2] ?? process.env.EMBEDDING_WORK_DIR ?? join(here, ".cache"));
const outDir = join(workDir, "tokenizer");
mkdirSync(outDir, { recursive: true });

/** Total vocabulary size, special tokens included. */
const VOCAB_SIZE = Number(process.env.EMBEDDING_VOCAB ?? 10000);

const stsTrain = readFileSync(join(dataDir, "stsb", "sts-train.csv"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .flatMap((l) => l.split("\t").slice(5, 7));

const started = Date.now();
const corpus = [
  ...captionLines("train.en.gz"),
  ...captionLines("train.de.gz"),
  ...stsTrain,
  ...sstRows("train.tsv").map((r) => r.text),
  ...conllSentences("eng.train").map((s) => s.map((w) => w.word).join(" ")),
];
const corpusFile = join(workDir, "tokenizer-corpus.txt");
writeFileSync(corpusFile, `${corpus.join("\n")}\n`);
const trainer = new tk.Tokenizer(tk.WordPiece.empty());
trainer.setNormalizer(tk.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: false }));
trainer.setPreTokenizer(tk.bertPreTokenizer());
trainer.train([corpusFile]);
const fullFile = join(workDir, "tokenizer-full.json");
trainer.save(fullFile, false);
const ordered = Object.entries(JSON.parse(readFileSync(fullFile, "utf8")).model.vocab)
  .sort((a, b) => a[1] - b[1])
  .map(([t]) => t);
const alphabet = ordered.filter((t) => [...t.replace(/^##/, "")].length === 1).length;
const firstMerge = ordered.findIndex((t) => [...t.replace(/^##/, "")].length > 1);
if (firstMerge !== alphabet) throw new Error(`alphabet is not a prefix of the trained vocabulary (${firstMerge} vs ${alphabet})`);
const kept = ordered.slice(0, VOCAB_SIZE - SPECIALS.length);
const vocab = {};
for (const t of [...SPECIALS, ...kept]) vocab[t] = Object.keys(vocab).length;
const file = join(outDir, "bilingual.tokenizer.json");
writeFileSync(file, `${JSON.stringify(tokenizerJson(vocab, false))}\n`);
console.log(
  `done in ${((Date.now() - started) / 1000).toFixed(1)} s (${corpus.length} training lines): kept ${kept.length} of ${ordered.length} entries ` +
    `(alphabet ${alphabet}) + ${SPECIALS.length} special = ${VOCAB_SIZE}`,
);

// Pieces per word on held-out text (Multi30k val, both languages).
const t = tk.Tokenizer.fromFile(file);
for (const name of ["val.en.gz", "val.de.gz"]) {
  let pieces = 0;
  let words = 0;
  let unk = 0;
  const text = captionLines(name);
  for (const s of text) {
    const enc = await t.encode(s, null, { addSpecialTokens: false });
    pieces += enc.getLength();
    unk += enc.getIds().filter((id) => id === vocab["[UNK]"]).length;
    words += t.getPreTokenizer().preTokenizeString(s).length;
  }
  console.log(`  ${name}: ${(pieces / words).toFixed(3)} pieces per word, ${unk} unknown, on ${text.length} held-out lines`);
}
