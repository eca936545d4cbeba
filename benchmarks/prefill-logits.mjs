/**
 * Prefill with logits at the last position only (the load-time graph rewrite of @proj/core) against the graph as
 * exported (`load: { fullLogits: true }`), transformers.js and the floor, on the bench-size GPT-2:
 *
 * - time of one prefill (a single prompt of 128 and of 512 tokens), rounds alternating between the contenders in one
 *   process: @proj rewritten, @proj full logits, the floor (bare `InferenceSession.run` of the original graph), and
 *   transformers.js (`generate` with `max_new_tokens: 1`: its prefill plus one token's bookkeeping);
 * - peak RSS of the first 512-token prefill after load, each contender in a fresh Node process: RSS after load, then
 *   the peak is reset (`/proc/self/clear_refs`) and read back after the prefill (`VmHWM`); the load time too (the
 *   rewrite is done in memory at load).
 *
 * The last-position logits of the rewritten graph are compared with the full graph's every round (max abs diff).
 *
 *   node benchmarks/prefill-logits.mjs [--threads 2] [--reps 8] [--out benchmarks/results/prefill-logits.json]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { loadModel } from "@proj/core";
import { CausalRunner } from "@proj/core/internal";
import { loadTransformers, modelDir, REPO_ROOT, sst2Dev, tjsOptions } from "./lib/context.mjs";
import { causalGreedy, causalShape, kvEntries, openSession } from "./lib/floor.mjs";
import { summarize } from "./lib/stats.mjs";

const { values: args } = parseArgs({
  options: {
    threads: { type: "string", default: "2" },
    reps: { type: "string", default: "8" },
    out: { type: "string", default: join(REPO_ROOT, "benchmarks", "results", "prefill-logits.json") },
    child: { type: "string" },
  },
});
const threads = Number(args.threads);
const dir = modelDir("decoder", "bench");
const LENGTHS = [128, 512];

/** Prompt ids of exactly `length` tokens, from SST-2 sentences joined (the model's own tokenizer). */
async function promptIds(model, length) {
  const text = sst2Dev().slice(0, 200).join(" ");
  const ids = (await model.tokenizer.encode(text, { addSpecialTokens: false })).ids;
  if (ids.length < length) throw new Error(`the SST-2 text gives only ${ids.length} tokens`);
  return ids.slice(0, length);
}

/** The contenders, each `prefill(ids)` returning the last position's logits. */
async function contenders(only) {
  const all = {
    "proj (last-position logits)": async () => {
      const model = await loadModel(dir, { threads });
      const runner = new CausalRunner(model.session("model"), model.config);
      return { model, prefill: async (ids) => (await runner.prefill([{ inputIds: ids }])).logits[0], close: () => model.dispose() };
    },
    "proj (fullLogits)": async () => {
      const model = await loadModel(dir, { threads, fullLogits: true });
      const runner = new CausalRunner(model.session("model"), model.config);
      return { model, prefill: async (ids) => (await runner.prefill([{ inputIds: ids }])).logits[0], close: () => model.dispose() };
    },
    floor: async () => {
      const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
      const session = await openSession(join(dir, "onnx", "model.onnx"), threads);
      const entries = kvEntries(session, causalShape(config));
      return { prefill: async (ids) => (await causalGreedy(session, entries, [ids], 1, 0)).generated[0], close: () => session.release() };
    },
    "transformers.js": async () => {
      const { AutoModelForCausalLM, Tensor } = await loadTransformers();
      const model = await AutoModelForCausalLM.from_pretrained(dir, tjsOptions(threads));
      return {
        prefill: async (ids) => {
          const input = new Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]);
          const mask = new Tensor("int64", new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
          return model.generate({ inputs: input, attention_mask: mask, max_new_tokens: 1, do_sample: false });
        },
        close: () => model.dispose(),
      };
    },
  };
  const out = {};
  for (const [name, open] of Object.entries(all)) if (!only || only === name) out[name] = await open();
  return out;
}

function status() {
  const text = readFileSync("/proc/self/status", "utf8");
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? Number.NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

/** One contender in this process: load, RSS, then the peak RSS of its first 512-token prefill. */
async function child(name) {
  const t0 = performance.now();
  const { [name]: c } = await contenders(name);
  const loadMs = performance.now() - t0;
  const tokenizerModel = c.model ?? (await loadModel(dir, { threads: 1, graphs: [] }));
  const ids = await promptIds(tokenizerModel, 512);
  // V8 frees large buffers on a background thread after a collection: collect, let it finish, collect again.
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  global.gc?.();
  const afterLoad = status(); // peakMb: the peak so far, while loading
  writeFileSync("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
  const t1 = performance.now();
  await c.prefill(ids);
  const prefillMs = performance.now() - t1;
  const after = status();
  process.stdout.write(
    JSON.stringify({
      name,
      loadMs,
      prefillMs,
      peakDuringLoadMb: afterLoad.peakMb,
      rssAfterLoadMb: afterLoad.rssMb,
      peakDuringPrefillMb: after.peakMb,
    }),
  );
  await c.close();
}

async function main() {
  const all = await contenders();
  const model = all["proj (last-position logits)"].model;
  const timing = [];
  for (const length of LENGTHS) {
    const ids = await promptIds(model, length);
    const times = Object.fromEntries(Object.keys(all).map((k) => [k, []]));
    let maxDiff = 0;
    for (let round = -1; round < Number(args.reps); round++) {
      let last;
      let full;
      for (const [name, c] of Object.entries(all)) {
        const t = performance.now();
        const result = await c.prefill(ids);
        const ms = performance.now() - t;
        if (round >= 0) times[name].push(ms); // round -1 is the warm-up
        if (name === "proj (last-position logits)") last = result;
        if (name === "proj (fullLogits)") full = result;
      }
      for (let i = 0; i < last.length; i++) maxDiff = Math.max(maxDiff, Math.abs(last[i] - full[i]));
    }
    const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summarize(v)]));
    timing.push({ length, medians, maxAbsDiff: maxDiff });
    console.error(
      `prefill ${length} tokens: ${Object.entries(medians)
        .map(([k, s]) => `${k} ${s.median.toFixed(1)} ms`)
        .join(", ")}; max abs diff ${maxDiff}`,
    );
  }
  for (const c of Object.values(all)) await c.close();

  const memory = [];
  for (const name of ["proj (last-position logits)", "proj (fullLogits)", "floor", "transformers.js"]) {
    const run = spawnSync(
      process.execPath,
      ["--expose-gc", new URL(import.meta.url).pathname, "--child", name, "--threads", String(threads)],
      {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      },
    );
    if (run.status !== 0) throw new Error(`${name}: ${run.stderr}`);
    memory.push(JSON.parse(run.stdout.trim().split("\n").pop()));
    console.error(`memory ${name}: ${JSON.stringify(memory.at(-1))}`);
  }
  const result = { model: "GPT-2-small-shaped (bench)", threads, reps: Number(args.reps), timing, memory };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(report(result));
}

function report({ timing, memory, threads, reps }) {
  const names = Object.keys(timing[0].medians);
  const lines = [
    `Prefill of one prompt, bench-size GPT-2, ${threads} threads, median of ${reps} alternating rounds (ms):`,
    "",
    `| prompt | ${names.join(" | ")} | last-position vs full |`,
    `| --- | ${names.map(() => "---:").join(" | ")} | ---: |`,
  ];
  for (const t of timing) {
    const m = names.map((n) => t.medians[n].median.toFixed(1));
    const ratio = t.medians["proj (fullLogits)"].median / t.medians["proj (last-position logits)"].median;
    lines.push(`| ${t.length} tokens | ${m.join(" | ")} | ${ratio.toFixed(2)}x faster (max abs diff ${t.maxAbsDiff.toExponential(1)}) |`);
  }
  lines.push("", "First 512-token prefill after load, one fresh process each:", "");
  lines.push(
    "| contender | load (ms) | peak RSS during load (MB) | RSS after load (MB) | peak RSS during prefill (MB) | prefill growth (MB) |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const m of memory) {
    lines.push(
      `| ${m.name} | ${m.loadMs.toFixed(0)} | ${m.peakDuringLoadMb.toFixed(0)} | ${m.rssAfterLoadMb.toFixed(0)} | ${m.peakDuringPrefillMb.toFixed(0)} | ${(m.peakDuringPrefillMb - m.rssAfterLoadMb).toFixed(0)} |`,
    );
  }
  return lines.join("\n");
}

if (args.child) await child(args.child);
else await main();
