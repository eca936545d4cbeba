// Classification throughput: @proj/encoder (built dist) vs the transformers.js text-classification pipeline, on all
// 872 sentences of SST-2 dev with the bert-seq-cls fixture (the same ONNX file), the same ONNX Runtime intra-op
// thread count, batch sizes 1, 8 and 32. After a warm-up, runs are interleaved (encoder, oracle, oracle, encoder,
// ...) so drift hits both alike; the median sentences/s of each is reported with the ratio. A third contender feeds
// transformers.js batches of length-sorted sentences, to show how much of the difference is bucketing by length.
//
//   node bench/classify-throughput.mjs [--threads 1] [--runs 5]
//
// Needs `npx tsup` first (it imports the built package) and ../shared/data (SHARED_MISSING otherwise).
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createClassifier } from "@proj/encoder";
import { fixture, loadOracle, SHARED_MISSING, sharedDataDir, sst2 } from "@proj/testing";

const { values } = parseArgs({ options: { threads: { type: "string", default: "1" }, runs: { type: "string", default: "5" } } });
const threads = Number(values.threads);
const runs = Number(values.runs);
const batchSizes = [1, 8, 32];

const data = sharedDataDir();
if (!data) {
  console.error(SHARED_MISSING);
  process.exit(1);
}
const sentences = sst2(data, "dev").map((r) => r.text);
const model = fixture("bert-seq-cls");

const classifier = await createClassifier(model, { threads });
const oracle = await loadOracle();
const pipe = await oracle.pipeline("text-classification", model, { dtype: "fp32", session_options: { intraOpNumThreads: threads } });

const contenders = {
  "@proj/encoder": async (texts, batchSize) => {
    // One call with every sentence: the SDK batches (bucketed by length) internally.
    const out = await classifier.classify(texts, { batchSize });
    return out.length;
  },
  "transformers.js": async (texts, batchSize) => {
    // The pipeline batches what it is given: one call per batch of `batchSize` sentences, in file order.
    let n = 0;
    for (let i = 0; i < texts.length; i += batchSize) {
      const chunk = texts.slice(i, i + batchSize);
      const out = await pipe(batchSize === 1 ? chunk[0] : chunk);
      n += batchSize === 1 ? 1 : out.length;
    }
    return n;
  },
};
const byLength = (texts) => [...texts].sort((a, b) => a.length - b.length);
contenders["transformers.js sorted"] = (texts, batchSize) => contenders["transformers.js"](byLength(texts), batchSize);
const names = Object.keys(contenders);

// Warm-up: every contender at every batch size once, on the first 64 sentences.
for (const name of names) for (const bs of batchSizes) await contenders[name](sentences.slice(0, 64), bs);

const rates = Object.fromEntries(names.map((n) => [n, Object.fromEntries(batchSizes.map((b) => [b, []]))]));
for (let run = 0; run < runs; run++) {
  for (const bs of batchSizes) {
    const order = run % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const t0 = performance.now();
      const n = await contenders[name](sentences, bs);
      const seconds = (performance.now() - t0) / 1000;
      if (n !== sentences.length) throw new Error(`${name} returned ${n} results for ${sentences.length} sentences`);
      rates[name][bs].push(n / seconds);
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
console.log(
  `SST-2 dev: ${sentences.length} sentences, fixture bert-seq-cls, intra-op threads ${threads}, ${runs} interleaved runs after warm-up, node ${process.version}`,
);
const range = (xs) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;
console.log("sentences/s: median (min-max); ratio = @proj/encoder median / transformers.js median");
console.log("| batch size | @proj/encoder | transformers.js | ratio | transformers.js, length-sorted batches |");
console.log("|---:|---:|---:|---:|---:|");
for (const bs of batchSizes) {
  const [a, b, c] = names.map((n) => rates[n][bs]);
  console.log(
    `| ${bs} | ${median(a).toFixed(0)} (${range(a)}) | ${median(b).toFixed(0)} (${range(b)}) | ${(median(a) / median(b)).toFixed(2)}x | ${median(c).toFixed(0)} (${range(c)}) |`,
  );
}
await classifier.dispose();
await pipe.dispose?.();
