// Entity-level F1 of the NER model on CoNLL-2003 eng.testa (the dev split), through ner() of the built @proj/encoder,
// for each label decoding: "argmax" (each word its most probable label, the default and the Hugging Face pipeline's)
// and "constrained" (the most probable label sequence that obeys BIO: no I-X after O or after another type).
//
//   node packages/models-lab/eval/ner.mjs [--model DIR] [--dtype auto|fp32|q8|fp16] [--aggregation first] [--threads N] [--out FILE]
//
// Each sentence is given to ner() as its tokens joined by single spaces. The entities ner() returns (character
// offsets into that text) are mapped back to CoNLL tokens: an entity covers every token its [start, end) overlaps,
// the first of them tagged B-<type> and the rest I-<type> (a token already covered by an earlier entity keeps it).
// Gold tags are IOB1, as in the file. Both tag sequences are cut into chunks as conlleval does (a chunk starts at
// B-X, or at I-X after O or after another type) and scored as conlleval scores them: a predicted entity is correct
// only when its type, first and last token all match a gold one; precision, recall and F1 are micro-averaged over
// all entities of the split. Reads ../shared/data/conll2003/eng.testa; writes packages/models-lab/eval/results/ner.json
// (the argmax scores at the top level, as before, and each decoding's under `decodings`).
import { createTokenClassifier } from "@proj/encoder";
import { conll, onnxFile, options, relative, writeResult } from "./lib.mjs";

const opts = options("ner", { aggregation: { type: "string", default: "first" } });
const sentences = conll("eng.testa");

/** conlleval's chunks of a tag sequence: a Set of "first,last,type". */
export function chunks(tags) {
  const out = new Set();
  let start = -1;
  let type = "";
  const all = [...tags, "O"];
  for (let i = 0; i < all.length; i++) {
    const tag = all[i];
    const prefix = tag === "O" ? "O" : tag[0];
    const t = tag === "O" ? "" : tag.slice(2);
    if (start >= 0 && (prefix === "O" || prefix === "B" || t !== type)) {
      out.add(`${start},${i - 1},${type}`);
      start = -1;
    }
    if (prefix !== "O" && start < 0) {
      start = i;
      type = t;
    }
  }
  return out;
}

/** Per-token BIO tags from entities with character offsets into `words.join(" ")`. */
export function tagsFromEntities(words, entities) {
  const spans = [];
  let at = 0;
  for (const w of words) {
    spans.push([at, at + w.length]);
    at += w.length + 1;
  }
  const tags = words.map(() => "O");
  for (const e of [...entities].sort((a, b) => a.start - b.start)) {
    const covered = spans.flatMap(([s, end], i) => (s < e.end && e.start < end ? [i] : []));
    let first = true;
    for (const i of covered) {
      if (tags[i] !== "O") continue;
      tags[i] = `${first ? "B" : "I"}-${e.entity}`;
      first = false;
    }
  }
  return tags;
}

const prf = (t, g, p) => {
  const precision = p ? t / p : 0;
  const recall = g ? t / g : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
};

/** conlleval's micro-averaged scores of predicted entities against the gold tags, overall and by type. */
function score(predicted) {
  let tp = 0;
  let nGold = 0;
  let nPred = 0;
  const byType = {};
  const count = (type, key) => {
    byType[type] ??= { tp: 0, gold: 0, predicted: 0 };
    byType[type][key]++;
  };
  sentences.forEach((sentence, i) => {
    const gold = chunks(sentence.map((w) => w.tag));
    const pred = chunks(
      tagsFromEntities(
        sentence.map((w) => w.word),
        predicted[i],
      ),
    );
    for (const c of gold) count(c.split(",")[2], "gold");
    for (const c of pred) {
      count(c.split(",")[2], "predicted");
      if (gold.has(c)) {
        tp++;
        count(c.split(",")[2], "tp");
      }
    }
    nGold += gold.size;
    nPred += pred.size;
  });
  return {
    goldEntities: nGold,
    predictedEntities: nPred,
    correct: tp,
    ...prf(tp, nGold, nPred),
    byType: Object.fromEntries(
      Object.entries(byType)
        .sort()
        .map(([k, v]) => [k, { ...v, ...prf(v.tp, v.gold, v.predicted) }]),
    ),
  };
}

const started = performance.now();
const recognizer = await createTokenClassifier(opts.model, { load: opts.load });
const texts = sentences.map((s) => s.map((w) => w.word).join(" "));
const decodings = {};
for (const decoding of ["argmax", "constrained"]) {
  decodings[decoding] = score(await recognizer.ner(texts, { aggregation: opts.aggregation, decoding }));
}
const dtype = recognizer.model.dtypes.model;
const result = {
  task: "ner",
  model: relative(opts.model),
  dtype,
  onnx: onnxFile(opts.model, dtype),
  data: "CoNLL-2003 eng.testa",
  aggregation: opts.aggregation,
  sentences: sentences.length,
  decoding: "argmax",
  ...decodings.argmax,
  decodings,
  seconds: (performance.now() - started) / 1000,
};
await recognizer.dispose();
const pct = (x) => (100 * x).toFixed(2);
for (const [decoding, r] of Object.entries(decodings)) {
  console.log(
    `ner (${result.model}, ${dtype}, aggregation ${opts.aggregation}, decoding ${decoding}): entity F1 ${pct(r.f1)} ` +
      `(P ${pct(r.precision)}, R ${pct(r.recall)}) on ${r.goldEntities} eng.testa entities`,
  );
  for (const [type, v] of Object.entries(r.byType)) {
    console.log(`  ${type.padEnd(4)} F1 ${pct(v.f1)} (P ${pct(v.precision)}, R ${pct(v.recall)}, ${v.gold} gold)`);
  }
}
writeResult(opts.out, result);
