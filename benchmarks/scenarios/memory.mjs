import { spawn } from "node:child_process";
import { join } from "node:path";
import { CONTENDERS } from "../lib/harness.mjs";
import { MODEL_LABELS, modelDir, REPO_ROOT } from "../lib/context.mjs";
import { num } from "../lib/report.mjs";

const MiB = 2 ** 20;

function runChild(args, log) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", join(REPO_ROOT, "benchmarks", "lib", "memory-child.mjs"), ...args.map(String)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => {
      out += c;
    });
    child.stderr.on("data", (c) => {
      err += c;
    });
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop();
      try {
        resolve(JSON.parse(line));
      } catch {
        log(`memory child ${args.slice(0, 2).join(" ")} failed (${code}): ${err.slice(-500)}`);
        resolve(undefined);
      }
    });
  });
}

/** Scenario 6: RSS of each contender alone, after loading, after 100 calls and after many (a leak shows as growth). */
export default {
  name: "memory",
  title: "Memory: RSS growth over many calls",
  description:
    "Each contender runs alone in a fresh Node process (`--expose-gc`, garbage collected before each reading): the model is loaded, then " +
    "called many times with SST-2 sentences, one per call: classification, and greedy generation. RSS is read after loading, after the " +
    "first calls (100 on the tiny models, where 2,000 classifications and 200 generations run) and at the end; growth after those first " +
    "calls is what a leak would show (ONNX Runtime's arena and V8's heap settle within them). The bench-size rows show the footprint of " +
    "real-sized models with fewer calls. Peak RSS is the process's maximum resident set.",
  async run(ctx) {
    const bench = !ctx.quick && ctx.sizes.includes("bench");
    const workloads = [
      { kind: "classify", model: "encoder", size: "tiny", calls: ctx.quick ? 400 : 2000, settle: 100, newTokens: 0 },
      { kind: "generate", model: "decoder", size: "tiny", calls: ctx.quick ? 120 : 200, settle: 100, newTokens: 32 },
      // Bench-size models: their footprint (fewer calls: a call costs 100x more there).
      ...(bench
        ? [
            { kind: "classify", model: "encoder", size: "bench", calls: 300, settle: 100, newTokens: 0 },
            { kind: "generate", model: "decoder", size: "bench", calls: 60, settle: 20, newTokens: 8 },
          ]
        : []),
    ];
    const rows = [];
    const results = [];
    for (const w of workloads) {
      const dir = modelDir(w.model, w.size);
      const label = w.kind === "classify" ? "classification" : `generation, ${w.newTokens} new tokens`;
      for (const id of CONTENDERS) {
        ctx.log(`memory: ${label}, ${id}, ${w.calls} calls on ${w.size}`);
        const r = await runChild([id, w.kind, dir, w.calls, ctx.threads, w.newTokens, w.settle], ctx.log);
        if (!r) {
          rows.push([label, w.size, id, "failed", "", "", "", "", "", ""]);
          continue;
        }
        const settled = r.checkpoints.find((c) => c.calls === w.settle)?.rss;
        const end = r.checkpoints.at(-1).rss;
        const growth = end - settled;
        results.push({ workload: label, size: w.size, contender: id, calls: w.calls, settle: w.settle, ...r, growthAfterSettle: growth });
        rows.push([
          label,
          w.size,
          id,
          String(w.calls),
          num(r.rssAfterLoad / MiB),
          `${num(settled / MiB)} (${w.settle})`,
          num(end / MiB),
          `${growth >= 0 ? "+" : ""}${num(growth / MiB)}`,
          num(growth / 1024 / (w.calls - w.settle)),
          num(r.peakRss / MiB),
        ]);
      }
    }
    const models = [...new Set(workloads.map((w) => w.size))].flatMap((size) => [
      `${size}: ${MODEL_LABELS[`encoder:${size}`]}`,
      MODEL_LABELS[`decoder:${size}`],
    ]);
    return {
      results,
      tables: [
        {
          title: `RSS in MiB (${models.join("; ")})`,
          columns: [
            "workload",
            "model",
            "contender",
            "calls",
            "after load",
            "after settling (calls)",
            "at the end",
            "growth after settling",
            "KiB per call after settling",
            "peak RSS",
          ],
          rows,
        },
      ],
    };
  },
};
