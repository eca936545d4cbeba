// Accuracy of the sentiment model on SST-2 dev.tsv (872 sentences), through classify() of the built @proj/encoder.
//
//   node packages/models-lab/eval/sentiment.mjs [--model DIR] [--dtype auto|fp32|q8|fp16] [--threads N] [--out FILE]
//
// Build first (npm run build). Reads ../shared/data/sst2/dev.tsv; writes packages/models-lab/eval/results/sentiment.json.
import { createClassifier } from "@proj/encoder";
import { onnxFile, options, relative, sst2, writeResult } from "./lib.mjs";

const opts = options("sentiment");
const dev = sst2("dev");
const started = performance.now();
const classifier = await createClassifier(opts.model, { load: opts.load });
const loadedMs = performance.now() - started;
const predictions = await classifier.classify(
  dev.map((r) => r.text),
  { topK: 1 },
);
const label2id = classifier.model.config.label2id;
let correct = 0;
const confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
predictions.forEach(([best], i) => {
  const predicted = label2id[best.label] ?? (best.label === "POSITIVE" ? 1 : 0);
  const gold = dev[i].label;
  if (predicted === gold) correct++;
  if (predicted === 1) confusion[gold === 1 ? "tp" : "fp"]++;
  else confusion[gold === 0 ? "tn" : "fn"]++;
});
const dtype = classifier.model.dtypes.model;
const positives = dev.filter((r) => r.label === 1).length;
const result = {
  task: "sentiment",
  model: relative(opts.model),
  dtype,
  onnx: onnxFile(opts.model, dtype),
  data: "SST-2 dev.tsv",
  examples: dev.length,
  accuracy: correct / dev.length,
  majorityBaseline: Math.max(positives, dev.length - positives) / dev.length,
  confusion,
  seconds: { load: loadedMs / 1000, total: (performance.now() - started) / 1000 },
};
await classifier.dispose();
console.log(
  `sentiment (${result.model}, ${dtype}): accuracy ${(100 * result.accuracy).toFixed(2)}% on ${dev.length} SST-2 dev sentences (majority ${(100 * result.majorityBaseline).toFixed(1)}%)`,
);
writeResult(opts.out, result);
