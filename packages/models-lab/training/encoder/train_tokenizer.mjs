// Trains the WordPiece vocabulary shared by the three encoder models with the `tokenizers` binding.
//
//   node packages/models-lab/training/encoder/train_tokenizer.mjs [workDir]
//
// workDir defaults to packages/models-lab/training/encoder/.cache (git-ignored). Writes workDir/tokenizer/:
//   cased.tokenizer.json     the shared cased vocabulary (NER and fill-mask use it as is; the pretraining too)
//   uncased.tokenizer.json   the same vocabulary for lowercased, accent-stripped input (sentiment: SST-2 is
//                            lowercase), keeping only the entries such input can produce
//
// Training text: the train splits only, as they are normalised at inference: Multi30k train.en (captions),
// CoNLL-2003 eng.train (tokens joined with spaces) and SST-2 train.tsv (sentences).
//
// The Node binding trains only with the model's default trainer (`Tokenizer.train(files)`; no trainer options are
// exposed: WordPiece's default is vocab_size 30000, min_frequency 0, no special tokens). Its WordPiece trainer is
// BPE underneath: ids are given to the alphabet (every character, and "##"+character for word-internal ones) first,
// then to each merged piece in the order the merges are learned, most frequent pair first. A WordPiece vocabulary
// only needs to contain every character to encode any text, so the first K entries of that run are a complete
// smaller vocabulary (the alphabet plus the K - |alphabet| first merges), which is what a trainer with
// vocab_size = K would produce. We keep those and put the five BERT special tokens in front.
//
// Not bit-for-bit reproducible: the trainer breaks ties between equally frequent pairs by token ids that follow a
// hash map's (randomly seeded) order, so a re-run gives the same vocabulary up to the order of tied entries and one
// or two entries at the cut. To rebuild the shipped models exactly, reuse their vocabulary:
//   ENCODER_VOCAB_FROM=packages/models/models/ner/tokenizer.json node packages/models-lab/training/encoder/train_tokenizer.mjs
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../../..");
const require = createRequire(import.meta.url); // tokenizers, a dependency of @proj/models-lab
const tk = require("tokenizers");
export const dataDir = resolve(repoRoot, "../shared/data");
const workDir = resolve(process.argv[2] ?? join(here, ".cache"));
const outDir = join(workDir, "tokenizer");
mkdirSync(outDir, { recursive: true });

/** Total vocabulary size, special tokens included. */
const VOCAB_SIZE = Number(process.env.ENCODER_VOCAB ?? 8000);
export const SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

export function captionLines(name) {
  return gunzipSync(readFileSync(join(dataDir, "multi30k", name)))
    .toString("utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
}

export function conllSentences(name) {
  const sentences = [];
  let words = [];
  for (const line of readFileSync(join(dataDir, "conll2003", name), "utf8").split("\n")) {
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

export function sstRows(name) {
  return readFileSync(join(dataDir, "sst2", name), "utf8")
    .split("\n")
    .filter((l) => l.includes("\t"))
    .map((l) => {
      const tab = l.lastIndexOf("\t");
      return { text: l.slice(0, tab), label: Number(l.slice(tab + 1)) };
    });
}

function normalizer(lowercase) {
  return { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase };
}

/** A tokenizer.json in the layout of bert-base-(un)cased's, with our vocabulary. */
export function tokenizerJson(vocab, lowercase) {
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content) => ({
      id: vocab[content],
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: normalizer(lowercase),
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [vocab["[CLS]"]], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [vocab["[SEP]"]], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  };
}

function save(name, json) {
  const file = join(outDir, `${name}.tokenizer.json`);
  writeFileSync(file, `${JSON.stringify(json)}\n`);
  return file;
}

async function main() {
  const started = Date.now();
  const corpus = [
    ...captionLines("train.en.gz"),
    ...conllSentences("eng.train").map((s) => s.map((w) => w.word).join(" ")),
    ...sstRows("train.tsv").map((r) => r.text),
  ];
  const corpusFile = join(workDir, "tokenizer-corpus.txt");
  writeFileSync(corpusFile, `${corpus.join("\n")}\n`);

  let kept;
  let ordered;
  let alphabet;
  if (process.env.ENCODER_VOCAB_FROM) {
    // Reuse a vocabulary (e.g. the shipped packages/models/models/ner/tokenizer.json) instead of training one.
    const from = JSON.parse(readFileSync(resolve(process.env.ENCODER_VOCAB_FROM), "utf8")).model.vocab;
    ordered = Object.entries(from)
      .sort((a, b) => a[1] - b[1])
      .map(([t]) => t)
      .filter((t) => !SPECIALS.includes(t));
    kept = ordered;
    alphabet = ordered.filter((t) => [...t.replace(/^##/, "")].length === 1).length;
    console.log(`vocabulary taken from ${process.env.ENCODER_VOCAB_FROM}`);
  } else {
    const trainer = new tk.Tokenizer(tk.WordPiece.empty());
    trainer.setNormalizer(tk.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: false }));
    trainer.setPreTokenizer(tk.bertPreTokenizer());
    trainer.train([corpusFile]);
    const fullFile = join(workDir, "tokenizer-full.json");
    trainer.save(fullFile, false);
    const full = JSON.parse(readFileSync(fullFile, "utf8")).model.vocab;
    ordered = Object.entries(full)
      .sort((a, b) => a[1] - b[1])
      .map(([t]) => t);
    alphabet = ordered.filter((t) => [...t.replace(/^##/, "")].length === 1).length;
    const firstMerge = ordered.findIndex((t) => [...t.replace(/^##/, "")].length > 1);
    if (firstMerge !== alphabet) throw new Error(`alphabet is not a prefix of the trained vocabulary (${firstMerge} vs ${alphabet})`);
    kept = ordered.slice(0, VOCAB_SIZE - SPECIALS.length);
  }
  const vocab = {};
  for (const t of [...SPECIALS, ...kept]) vocab[t] = Object.keys(vocab).length;
  const cased = save("cased", tokenizerJson(vocab, false));

  // Uncased view: entries that lowercased, accent-stripped text can still produce, in the same order.
  const lower = tk.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true });
  const uncasedVocab = {};
  for (const t of [...SPECIALS, ...kept]) {
    const body = t.replace(/^##/, "");
    if (SPECIALS.includes(t) || lower.normalizeString(body) === body) uncasedVocab[t] = Object.keys(uncasedVocab).length;
  }
  const uncased = save("uncased", tokenizerJson(uncasedVocab, true));
  console.log(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s (${corpus.length} training lines): kept ${kept.length} of ${ordered.length} entries ` +
      `(alphabet ${alphabet}) + ${SPECIALS.length} special = ${VOCAB_SIZE}; uncased view ${Object.keys(uncasedVocab).length}`,
  );

  // Checks: both load in the binding, and report pieces per word on held-out text.
  for (const [file, text] of [
    [cased, captionLines("val.en.gz")],
    [cased, conllSentences("eng.testa").map((s) => s.map((w) => w.word).join(" "))],
    [uncased, sstRows("dev.tsv").map((r) => r.text)],
  ]) {
    const t = tk.Tokenizer.fromFile(file);
    let pieces = 0;
    let words = 0;
    let unk = 0;
    for (const s of text) {
      const enc = await t.encode(s, null, { addSpecialTokens: false });
      pieces += enc.getLength();
      unk += enc.getIds().filter((id) => id === vocab["[UNK]"]).length;
      words += t.getPreTokenizer().preTokenizeString(s).length;
    }
    console.log(
      `  ${file.split("/").pop()}: ${(pieces / words).toFixed(3)} pieces per word, ${unk} unknown, on ${text.length} held-out lines`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
