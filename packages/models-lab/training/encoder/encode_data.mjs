// Tokenizes the training (and, for the Python-side sanity checks, the dev) data with the trained tokenizers, so
// that the Python training sees exactly the ids the SDK will feed at inference.
//
//   node packages/models-lab/training/encoder/encode_data.mjs [workDir]
//
// Reads workDir/tokenizer/*.tokenizer.json (train_tokenizer.mjs), writes workDir/data/*.json (git-ignored):
//   mlm-train.json      pretraining text, cased ids: Multi30k train.en + CoNLL eng.train sentences + SST-2 train
//   captions-train.json Multi30k train.en alone, cased ids (the fill-mask model's own MLM stage)
//   captions-val.json   Multi30k val.en, cased ids (masked-token accuracy)
//   sst-train.json      SST-2 train, uncased ids + label; each sentence with "n't" split off (PTB style) also
//                       appears once more with it joined back ("is n't" -> "isn't"), as users write
//   sst-glue.json       GLUE SST-2 train (glue_train.tsv.gz: the train sentences and their sub-phrases, 67,349
//                       rows), uncased ids + label + text, with the same "n't" copies; the texts let the Python side
//                       hold out whole train.tsv sentences together with their sub-phrases
//   sst-dev.json        SST-2 dev, uncased ids + label (evaluation only)
//   ner-train.json      CoNLL eng.train, cased ids + one label per piece (IOB1 converted to BIO; the first piece of
//                       a word gets the word's tag, later pieces I-<type>)
//   ner-testa.json      CoNLL eng.testa, the same (evaluation only)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { captionLines, conllSentences, dataDir, sstRows } from "./train_tokenizer.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url); // tokenizers, a dependency of @proj/models-lab
const tk = require("tokenizers");
const workDir = resolve(process.argv[2] ?? join(here, ".cache"));
const outDir = join(workDir, "data");
mkdirSync(outDir, { recursive: true });

export const NER_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"];

const cased = tk.Tokenizer.fromFile(join(workDir, "tokenizer", "cased.tokenizer.json"));
const uncased = tk.Tokenizer.fromFile(join(workDir, "tokenizer", "uncased.tokenizer.json"));

async function ids(tokenizer, texts) {
  const out = [];
  for (let i = 0; i < texts.length; i += 1000) {
    const encs = await tokenizer.encodeBatch(texts.slice(i, i + 1000));
    for (const e of encs) out.push(e.getIds());
  }
  return out;
}

function write(name, obj) {
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(obj));
  const n = Array.isArray(obj.ids) ? obj.ids.length : 0;
  console.log(`${name}: ${n} rows`);
}

/** IOB1 (CoNLL-2003) word tags to BIO: an I- that does not continue an entity of its type starts one. */
export function iob1ToBio(tags) {
  return tags.map((tag, i) => {
    if (!tag.startsWith("I-")) return tag;
    const prev = i > 0 ? tags[i - 1] : "O";
    return prev === "O" || prev.slice(2) !== tag.slice(2) ? `B-${tag.slice(2)}` : tag;
  });
}

async function nerRows(sentences) {
  const rows = { ids: [], labels: [], words: [] };
  for (const sentence of sentences) {
    const words = sentence.map((w) => w.word);
    const tags = iob1ToBio(sentence.map((w) => w.tag));
    const text = words.join(" ");
    const starts = [];
    let at = 0;
    for (const w of words) {
      starts.push(at);
      at += w.length + 1;
    }
    const enc = await cased.encode(text);
    const offsets = enc.getOffsets();
    const special = enc.getSpecialTokensMask();
    const labels = [];
    const pieceWord = [];
    let w = -1;
    for (let p = 0; p < offsets.length; p++) {
      if (special[p]) {
        labels.push(-100);
        pieceWord.push(-1);
        continue;
      }
      const [s] = offsets[p];
      while (w + 1 < words.length && starts[w + 1] <= s) w++;
      const tag = tags[w];
      const first = pieceWord[pieceWord.length - 1] !== w;
      labels.push(NER_LABELS.indexOf(first || tag === "O" ? tag : `I-${tag.slice(2)}`));
      pieceWord.push(w);
    }
    rows.ids.push(enc.getIds());
    rows.labels.push(labels);
    rows.words.push(pieceWord);
  }
  return rows;
}

const captionsTrain = captionLines("train.en.gz");
const conllTrain = conllSentences("eng.train");
const sstTrain = sstRows("train.tsv");

write("mlm-train", {
  ids: await ids(cased, [...captionsTrain, ...conllTrain.map((s) => s.map((w) => w.word).join(" ")), ...sstTrain.map((r) => r.text)]),
});
write("captions-train", { ids: await ids(cased, captionsTrain) });
write("captions-val", { ids: await ids(cased, captionLines("val.en.gz")) });

const joined = (text) => text.replace(/(\w) n't\b/g, "$1n't");
const copyOf = sstTrain.flatMap((r, i) => (joined(r.text) !== r.text ? [i] : []));
const sstAugmented = [...sstTrain, ...copyOf.map((i) => ({ text: joined(sstTrain[i].text), label: sstTrain[i].label }))];
write("sst-train", {
  ids: await ids(
    uncased,
    sstAugmented.map((r) => r.text),
  ),
  labels: sstAugmented.map((r) => r.label),
  original: sstTrain.length,
  copy_of: copyOf,
});
const glue = gunzipSync(readFileSync(join(dataDir, "sst2", "glue_train.tsv.gz")))
  .toString("utf8")
  .split("\n")
  .slice(1)
  .filter((l) => l.includes("\t"))
  .map((l) => {
    const tab = l.lastIndexOf("\t");
    return { text: l.slice(0, tab).trim(), label: Number(l.slice(tab + 1)) };
  });
const glueCopyOf = glue.flatMap((r, i) => (joined(r.text) !== r.text ? [i] : []));
const glueAugmented = [...glue, ...glueCopyOf.map((i) => ({ text: joined(glue[i].text), label: glue[i].label }))];
write("sst-glue", {
  ids: await ids(
    uncased,
    glueAugmented.map((r) => r.text),
  ),
  labels: glueAugmented.map((r) => r.label),
  texts: glue.map((r) => r.text),
  original: glue.length,
  copy_of: glueCopyOf,
});
write("sst-train-texts", { texts: sstTrain.map((r) => r.text) });
const sstDev = sstRows("dev.tsv");
write("sst-dev", {
  ids: await ids(
    uncased,
    sstDev.map((r) => r.text),
  ),
  labels: sstDev.map((r) => r.label),
});

write("ner-train", await nerRows(conllTrain));
write("ner-testa", await nerRows(conllSentences("eng.testa")));
