// Masked-token accuracy of the fill-mask model on Multi30k val.en (1,014 captions), through fillMask() of the built
// @proj/encoder.
//
//   node packages/models-lab/eval/fill-mask.mjs [--model DIR] [--dtype auto|fp32|q8|fp16] [--threads N] [--out FILE]
//
// Probes: every token of a caption that is a word by itself (a vocabulary piece that is neither split from nor
// continued by "##" pieces: "man", "shirt", ".") is replaced by the mask token in the text, one probe per token;
// the probe is correct when fillMask()'s top-1 token is the one replaced. Reported over all probes, and over the
// probes whose token has a letter (words, not punctuation). Reads ../shared/data/multi30k/val.en.gz; writes
// packages/models-lab/eval/results/fill-mask.json.
import { createFillMask } from "@proj/encoder";
import { captions, onnxFile, options, relative, writeResult } from "./lib.mjs";

const opts = options("fill-mask");
const lines = captions("val.en.gz");
const started = performance.now();
const masker = await createFillMask(opts.model, { load: opts.load });
const tokenizer = masker.model.tokenizer;

const probes = [];
for (const text of lines) {
  const enc = await tokenizer.encode(text);
  for (let i = 0; i < enc.ids.length; i++) {
    if (enc.specialTokensMask[i]) continue;
    const piece = enc.tokens[i];
    const next = enc.specialTokensMask[i + 1] ? "" : (enc.tokens[i + 1] ?? "");
    if (piece.startsWith("##") || next.startsWith("##")) continue;
    const [s, e] = enc.offsets[i];
    probes.push({ text: `${text.slice(0, s)}${masker.maskToken}${text.slice(e)}`, gold: enc.ids[i], word: /\p{L}/u.test(piece) });
  }
}
const predictions = await masker.fillMask(
  probes.map((p) => p.text),
  { topK: 1, batchSize: 64 },
);
let hits = 0;
let words = 0;
let wordHits = 0;
probes.forEach((p, i) => {
  const ok = predictions[i][0].token === p.gold;
  if (ok) hits++;
  if (p.word) {
    words++;
    if (ok) wordHits++;
  }
});
const dtype = masker.model.dtypes.model;
const result = {
  task: "fill-mask",
  model: relative(opts.model),
  dtype,
  onnx: onnxFile(opts.model, dtype),
  data: "Multi30k val.en",
  sentences: lines.length,
  probes: probes.length,
  accuracy: hits / probes.length,
  wordProbes: words,
  wordAccuracy: wordHits / words,
  seconds: (performance.now() - started) / 1000,
};
await masker.dispose();
console.log(
  `fill-mask (${result.model}, ${dtype}): masked-token accuracy ${(100 * result.accuracy).toFixed(2)}% over ${probes.length} probes; ` +
    `${(100 * result.wordAccuracy).toFixed(2)}% over the ${words} word tokens`,
);
writeResult(opts.out, result);
