/**
 * The sustained load test of `proj serve` (issue 19), full length: 5 minutes of mixed traffic at 32 connections on the
 * embedded models, then the checks (see lib/load/run-load.mjs). Writes `results.json`, `load.md` and `load.svg` to
 * `--out`; with `--publish`, also `docs/reliability/load.svg` and the figures in the "Sustained load" section of
 * `docs/reliability.md`. Exits 1 when a check fails or RSS grew by 5 % or more after warm-up.
 *
 *   node benchmarks/load.mjs [--duration 300] [--model <decoder>] [--connections 32] [--max-sequences 8]
 *                            [--max-queue 32] [--threads 1] [--out benchmarks/results/load] [--publish]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./lib/context.mjs";
import { loadChart, loadSummary, loadTables } from "./lib/load/load-report.mjs";
import { runLoad } from "./lib/load/run-load.mjs";

const EMBEDDED = join(REPO_ROOT, "packages", "models", "models");
const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "300" },
    model: { type: "string", default: join(EMBEDDED, "generation") },
    classify: { type: "string", default: join(EMBEDDED, "sentiment") },
    ner: { type: "string", default: join(EMBEDDED, "ner") },
    connections: { type: "string", default: "32" },
    "max-sequences": { type: "string", default: "8" },
    "max-queue": { type: "string", default: "32" },
    threads: { type: "string", default: "1" },
    out: { type: "string", default: join(REPO_ROOT, "benchmarks", "results", "load") },
    publish: { type: "boolean", default: false },
  },
});

const started = Date.now();
const result = await runLoad({
  durationS: Number(args.duration),
  model: args.model,
  classify: args.classify,
  ner: args.ner,
  connections: Number(args.connections),
  maxSequences: Number(args["max-sequences"]),
  maxQueue: Number(args["max-queue"]),
  threads: Number(args.threads),
  log: (line) => console.log(line),
});
const when = new Date(started).toISOString().slice(0, 16).replace("T", " ");
const conditions =
  `Run of ${when} UTC, ${Number(args.duration)} s, node ${result.machine.node}, ${result.machine.cores} cores shared with other work ` +
  `(load average ${result.machine.loadBefore.toFixed(1)} before, ${result.machine.loadAfter.toFixed(1)} after); ` +
  `\`proj serve --max-sequences ${args["max-sequences"]} --max-queue ${args["max-queue"]} --threads ${args.threads}\`.`;
const markdown = `${conditions}\n\n${loadTables(result)}\n`;
const svg = loadChart(result, Number(args.duration) >= 120 ? 10 : 5);

mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, "results.json"), `${JSON.stringify({ args, ...result }, null, 2)}\n`);
writeFileSync(join(args.out, "load.md"), markdown);
writeFileSync(join(args.out, "load.svg"), svg);
if (args.publish) {
  mkdirSync(join(REPO_ROOT, "docs", "reliability"), { recursive: true });
  writeFileSync(join(REPO_ROOT, "docs", "reliability", "load.svg"), svg);
  const doc = join(REPO_ROOT, "docs", "reliability.md");
  const text = readFileSync(doc, "utf8");
  const [begin, end] = ["<!-- load figures: begin (benchmarks/load.mjs --publish) -->", "<!-- load figures: end -->"];
  if (!text.includes(begin) || !text.includes(end)) throw new Error(`${doc} has no ${begin} ... ${end} section to fill`);
  writeFileSync(doc, `${text.slice(0, text.indexOf(begin) + begin.length)}\n${markdown}${text.slice(text.indexOf(end))}`);
}
for (const line of loadSummary(result)) console.log(line);
console.log(`written to ${args.out}${args.publish ? ", docs/reliability.md and docs/reliability/load.svg" : ""}`);
const failed = result.checks.filter((c) => !c.ok);
if (!result.rssGrowthOk) console.log(`FAIL: RSS grew by ${(100 * result.figures.rss.growth).toFixed(2)} % after warm-up (limit 5 %)`);
process.exitCode = failed.length > 0 || !result.rssGrowthOk ? 1 : 0;
