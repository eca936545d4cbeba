#!/usr/bin/env node
// Soak test: 10,000 classifications and 500 generations on one handle each, then 100 load/dispose cycles, with the
// resident memory (RSS) sampled 50 times over each run. Each run follows a warm-up of the same calls (1,000
// classifications, 300 generations, 20 cycles): the allocator takes a few hundred generations to settle at its
// high-water mark. Fails (exit 1) when a run grows by 5 % or more (median of the last third of its samples over the
// median of the first third) or a session stays open. Needs the packages built (npm run build); runs on the
// committed fixture models unless told otherwise.
//
//   node scripts/soak.mjs [--classifications 10000] [--generations 500] [--cycles 100]
//                         [--classify-model DIR] [--generate-model DIR] [--max-growth 0.05] [--json]
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

// Measure native memory, not V8's adaptive sizing: a small fixed young generation (its semi-spaces otherwise grow
// from 1 to 16 MiB as allocation speeds up, which shows as RSS growth) and a GC forced before each sample.
const V8_FLAGS = ["--expose-gc", "--min-semi-space-size=1", "--max-semi-space-size=1"];
if (!V8_FLAGS.every((f) => process.execArgv.includes(f))) {
  const child = spawnSync(process.execPath, [...V8_FLAGS, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(child.status ?? 1);
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(root, "packages", "testing", "fixtures");
const { values: flags } = parseArgs({
  options: {
    classifications: { type: "string", default: "10000" },
    generations: { type: "string", default: "500" },
    cycles: { type: "string", default: "100" },
    "classify-model": { type: "string", default: join(fixtures, "bert-seq-cls") },
    "generate-model": { type: "string", default: join(fixtures, "llama") },
    "max-growth": { type: "string", default: "0.05" },
    json: { type: "boolean", default: false },
  },
});
const load = async (pkg) =>
  import(join(root, "packages", pkg, "dist", "index.js")).catch((error) => {
    console.error(`soak: cannot load packages/${pkg}/dist (${error.message}); run npm run build first`);
    process.exit(1);
  });
const [{ createClassifier }, { createGenerator }, { loadModel, openSessionCount }] = await Promise.all([
  load("encoder"),
  load("decoder"),
  load("core"),
]);

const maxGrowth = Number(flags["max-growth"]);
const rssMiB = () => {
  globalThis.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const WORDS = "the film was surprisingly good and the actors gave a warm funny honest performance 😀 Ada Lovelace in Paris".split(" ");
const sentence = (i) => Array.from({ length: 1 + ((i * 37) % 40) }, (_, j) => WORDS[(i + j * 7) % WORDS.length]).join(" ");

/**
 * Runs `warmup` calls, then `total` calls, `concurrency` at a time, sampling RSS 50 times over the `total`. The
 * allocator gives memory back and takes it again from one sample to the next (±5 % during generation), so one sample
 * against another says little: growth is the median of the last third of the samples over the median of the first
 * third. A leak raises the last third; that noise does not.
 */
async function soak(name, warmup, total, concurrency, call) {
  for (let i = 0; i < warmup; i += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, warmup - i) }, (_, k) => call(i + k)));
  }
  const every = Math.max(1, Math.floor(total / 50));
  const samples = [];
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < total; i += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, total - i) }, (_, k) => call(warmup + i + k)));
    const done = Math.min(i + concurrency, total);
    if (done % every < concurrency || done === total) samples.push({ done, rss: rssMiB() });
  }
  const third = Math.max(1, Math.floor(samples.length / 3));
  const early = median(samples.slice(0, third).map((s) => s.rss));
  const late = median(samples.slice(-third).map((s) => s.rss));
  return {
    name,
    warmup,
    total,
    earlyRssMiB: early,
    lateRssMiB: late,
    growth: (late - early) / early,
    maxRssMiB: Math.max(...samples.map((s) => s.rss)),
    finalRssMiB: samples.at(-1).rss,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: process.cpuUsage(cpu).user / 1e6,
    samples,
  };
}

const results = [];
const classifications = Number(flags.classifications);
const classifier = await createClassifier(flags["classify-model"], { threads: 1 });
const expected = await classifier.classify(Array.from({ length: 64 }, (_, i) => sentence(i)));
results.push(
  await soak("classifications", Math.ceil(classifications / 10), classifications, 8, async (i) => {
    const [best] = await classifier.classify(sentence(i % 64));
    if (best.label !== expected[i % 64][0].label) throw new Error(`classification ${i} changed its answer`);
  }),
);
await classifier.dispose();

const generations = Number(flags.generations);
const generator = await createGenerator(flags["generate-model"], { load: { threads: 1 } });
const prompts = ["Hello", "The cat sat on the", "Once upon a time", "Why is the sky", "Ada Lovelace wrote"];
results.push(
  await soak("generations", Math.ceil(generations * 0.6), generations, 4, async (i) => {
    const r = await generator.generate(prompts[i % prompts.length], { maxNewTokens: 32, doSample: i % 2 === 1, seed: i, eosTokenId: [] });
    if (r.tokenIds.length !== 32) throw new Error(`generation ${i} stopped early (${r.finishReason})`);
  }),
);
const stats = generator.batchStats();
await generator.dispose();
if (stats.running !== 0 || stats.queued !== 0) throw new Error(`the batcher still holds rows: ${JSON.stringify(stats)}`);

const cycles = Number(flags.cycles);
results.push(
  await soak("load/dispose cycles", Math.ceil(cycles / 5), cycles, 1, async () => {
    const model = await loadModel(flags["classify-model"], { threads: 1 });
    await model.dispose();
  }),
);
const sessionsLeft = openSessionCount();

const failed = results.filter((r) => !(r.growth < maxGrowth));
if (flags.json) {
  console.log(JSON.stringify({ maxGrowth, sessionsLeft, results }, null, 2));
} else {
  console.log(`node ${process.version}, ${process.platform}/${process.arch}, ${V8_FLAGS.join(" ")}, GC forced before each sample`);
  console.log("| run | warm-up | calls | RSS early (MiB) | RSS late (MiB) | growth | max RSS (MiB) | final RSS (MiB) | wall s | CPU s |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of results) {
    const cells = [r.name, r.warmup, r.total, r.earlyRssMiB.toFixed(1), r.lateRssMiB.toFixed(1), `${(r.growth * 100).toFixed(2)} %`];
    cells.push(r.maxRssMiB.toFixed(1), r.finalRssMiB.toFixed(1), r.seconds.toFixed(1), r.cpuSeconds.toFixed(1));
    console.log(`| ${cells.join(" | ")} |`);
  }
  console.log(`sessions left open: ${sessionsLeft}`);
  const verdict = failed.length
    ? `FAIL: ${failed.map((r) => r.name).join(", ")} grew by ${maxGrowth * 100} % or more`
    : `OK: every run grew by less than ${maxGrowth * 100} %`;
  console.log(verdict);
}
process.exit(failed.length || sessionsLeft ? 1 : 0);
