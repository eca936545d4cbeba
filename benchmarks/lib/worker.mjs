/**
 * Runs one scenario in its own process (so its peak RSS is its own and a crash cannot take the others down)
 * and writes its result as JSON. Started by run.mjs:
 *
 *   node --expose-gc benchmarks/lib/worker.mjs <scenario> <options.json> <result.json>
 */
import { readFileSync, writeFileSync } from "node:fs";

const [name, optionsFile, outFile] = process.argv.slice(2);
const options = JSON.parse(readFileSync(optionsFile, "utf8"));
const started = Date.now();
const log = (line) => process.stderr.write(`${line}\n`);

const ctx = {
  quick: options.quick,
  threads: options.threads,
  sizes: options.sizes,
  warmup: options.warmup,
  reps: (size) => options.reps ?? (options.quick ? 2 : size === "tiny" ? 5 : 3),
  log,
  options,
};

const { default: scenario } = await import(`../scenarios/${name}.mjs`);
let output;
try {
  const result = await scenario.run(ctx);
  output = { ok: true, ...result };
} catch (error) {
  log(error?.stack ?? String(error));
  output = { ok: false, error: String(error?.message ?? error) };
}
writeFileSync(
  outFile,
  JSON.stringify(
    {
      name: scenario.name,
      title: scenario.title,
      description: scenario.description,
      ...output,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      durationMs: Date.now() - started,
    },
    null,
    2,
  ),
);
// Native sessions and transformers.js' handles may keep the event loop alive; the result is written.
process.exit(0);
