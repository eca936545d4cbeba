import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CliIO } from "../io.js";
import type { Command } from "./command.js";

/**
 * Finds `benchmarks/run.mjs` of the repository: above the working directory, else above this package.
 *
 * @example
 * const script = findBenchScript(process.cwd()); // "/repo/benchmarks/run.mjs" or undefined
 */
export function findBenchScript(cwd: string): string | undefined {
  const starts = [cwd, dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const script = join(dir, "benchmarks", "run.mjs");
      if (existsSync(script)) return script;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** `proj bench`: runs the repository's benchmarks (`benchmarks/run.mjs`), passing the arguments through. */
export const benchCommand: Command = {
  name: "bench",
  summary: "run the repository's benchmarks (TTFT, TPOT, throughput, memory); arguments pass through",
  usage: "proj bench [flags]      (run from a clone of the repository; the flags go to benchmarks/run.mjs)",
  examples: ["proj bench --quick", "proj bench --scenario generation --scenario server --threads 4", "proj bench --report-only --publish"],
  // Parsed by benchmarks/run.mjs, listed here for --help.
  flags: {
    quick: { type: "boolean", description: "smoke run: tiny fixtures only, few repetitions (minutes)" },
    scenario: {
      type: "string",
      multiple: true,
      value: "name",
      description: "classification, generation, batched-generation, seq2seq, tokenization, memory or server (default all; or a comma list)",
    },
    sizes: { type: "string", value: "list", description: "model sizes: tiny,bench (default both; tiny with --quick)" },
    threads: { type: "string", value: "n", description: "ONNX Runtime intra-op threads of every contender (default 2)" },
    reps: { type: "string", value: "n", description: "repetitions of each measurement" },
    out: { type: "string", value: "dir", description: "where results go (default benchmarks/results)" },
    publish: { type: "boolean", description: "also write docs/benchmarks.md and docs/benchmarks/*.svg" },
    merge: { type: "boolean", description: "report the scenarios of earlier runs found in --out too" },
    "report-only": { type: "boolean", description: "rewrite the report from <out>/results.json, running nothing" },
    help: { type: "boolean", short: "h", description: "show this help" },
  },
  passThrough: true,
  async run(args, io) {
    const script = findBenchScript(io.cwd);
    if (!script) {
      io.stderr.write(
        "proj bench: benchmarks/run.mjs was not found above this folder; run it from a clone of the repository (npm run bench)\n",
      );
      return 1;
    }
    return run(script, args.positionals, io);
  },
};

function run(script: string, argv: readonly string[], io: CliIO): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...argv], { cwd: dirname(dirname(script)), stdio: ["inherit", "pipe", "pipe"] });
    child.stdout.pipe(io.stdout, { end: false });
    child.stderr.pipe(io.stderr, { end: false });
    child.on("error", (error) => {
      io.stderr.write(`proj bench: ${error.message}\n`);
      done(1);
    });
    child.on("close", (code, signal) => done(code ?? (signal ? 128 + 2 : 1)));
  });
}
