// BLEU of the embedded en->de translator on Multi30k test_2016_flickr (1,000 sentences), through translate() of
// @proj/seq2seq: greedy (numBeams 1) vs beam search (numBeams 4, the model's default).
//
//   npm run build            # @proj/core, @proj/seq2seq
//   node packages/models-lab/eval/translation.mjs [--model DIR] [--dtype auto|fp32|q8] [--name NAME] [--limit N]
//
// Data: ../shared/data/multi30k beside the repository (never committed). Writes eval/results/<NAME>.json
// (default "translation"). BLEU: eval/bleu.mjs (sacreBLEU's default definition: corpus BLEU-4, 13a tokens).
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createTranslator } from "@proj/seq2seq";
import { corpusBleu } from "./bleu.mjs";
import { captions, evalDir, modelsDir, relative, writeResult } from "./lib.mjs";

const { values: args } = parseArgs({
  options: {
    model: { type: "string", default: join(modelsDir, "translation-en-de") },
    dtype: { type: "string", default: "auto" },
    name: { type: "string", default: "translation" },
    split: { type: "string", default: "test_2016_flickr" },
    limit: { type: "string" },
    threads: { type: "string", default: "1" },
    "batch-size": { type: "string", default: "16" },
  },
});

let sources = captions(`${args.split}.en.gz`);
let references = captions(`${args.split}.de.gz`);
if (sources.length !== references.length) throw new Error("source/reference counts differ");
if (args.limit) {
  sources = sources.slice(0, Number(args.limit));
  references = references.slice(0, Number(args.limit));
}

const translator = await createTranslator(args.model, { load: { dtype: args.dtype, threads: Number(args.threads) } });
const dtypes = translator.model.dtypes;
const runs = {};
for (const [label, numBeams] of [
  ["greedy", 1],
  ["beam4", 4],
]) {
  const started = performance.now();
  const out = await translator.translate(sources, { numBeams, batchSize: Number(args["batch-size"]) });
  const seconds = (performance.now() - started) / 1000;
  const hypotheses = out.map((t) => t.text);
  const bleu = corpusBleu(hypotheses, references);
  runs[label] = {
    numBeams,
    bleu: Number(bleu.score.toFixed(2)),
    precisions: bleu.precisions.map((p) => Number(p.toFixed(1))),
    brevityPenalty: Number(bleu.brevityPenalty.toFixed(4)),
    hypLength: bleu.hypLength,
    refLength: bleu.refLength,
    seconds: Number(seconds.toFixed(1)),
    examples: sources.slice(0, 5).map((s, i) => ({ en: s, de: hypotheses[i], reference: references[i] })),
  };
  console.log(`${label}: BLEU ${bleu.score.toFixed(2)} (BP ${bleu.brevityPenalty.toFixed(3)}, ${seconds.toFixed(1)} s)`);
}
await translator.dispose();

const result = {
  task: "translation en->de",
  model: relative(args.model),
  dtypes,
  data: `multi30k/${args.split}.{en,de}.gz`,
  sentences: sources.length,
  metric: "corpus BLEU-4, brevity penalty, 1 reference, 13a tokenization (sacreBLEU default definition)",
  greedy: runs.greedy,
  beam4: runs.beam4,
  date: new Date().toISOString(),
};
writeResult(join(evalDir, "results", `${args.name}.json`), result);
