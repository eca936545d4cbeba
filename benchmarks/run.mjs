#!/usr/bin/env node
/**
 * Benchmarks of @proj against transformers.js and the bare ONNX Runtime floor, side by side in one run.
 *
 *   npm run bench                                  # builds the packages, then every scenario, full size
 *   npm run bench -- --quick                       # smoke run: tiny fixtures only, few repetitions (minutes)
 *   node benchmarks/run.mjs --scenario generation  # one scenario (repeat the flag, or a comma list)
 *
 * Options: --quick, --scenario <name>, --out <dir> (default benchmarks/results), --threads <n> (ONNX Runtime
 * intra-op threads of all three contenders, default 2), --reps <n>, --sizes tiny,bench, --publish (also write
 * docs/benchmarks.md and docs/benchmarks/*.svg), --merge (report also the scenarios of earlier runs found in <out>, e.g. after
 * rerunning one scenario), --report-only (rewrite the report from <out>/results.json, running nothing).
 *
 * Each scenario runs in its own Node process; results go to <out>/results.json, <out>/report.md and <out>/*.svg.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { BENCH_MODELS_DIR, REPO_ROOT, dataDir } from "./lib/context.mjs";
import { writeReport } from "./lib/report.mjs";

export const SCENARIOS = ["classification", "embedding", "generation", "batched-generation", "seq2seq", "tokenization", "memory", "server"];

/** Which packages (dist) and bench models each scenario needs. */
const NEEDS = {
  classification: { packages: ["core", "encoder"], models: ["distilbert"] },
  embedding: { packages: ["core", "encoder"], models: ["minilm"] },
  generation: { packages: ["core", "decoder"], models: ["gpt2"] },
  "batched-generation": { packages: ["core", "decoder"], models: ["gpt2"] },
  seq2seq: { packages: ["core", "seq2seq"], models: ["t5"] },
  tokenization: { packages: ["core"], models: [] },
  memory: { packages: ["core", "encoder", "decoder"], models: ["distilbert", "gpt2"] },
  server: { packages: ["core", "decoder", "server"], models: ["gpt2"] },
};

function parseArgs(argv) {
  const args = { quick: false, scenarios: [], out: join(REPO_ROOT, "benchmarks", "results"), threads: 2, publish: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--quick") args.quick = true;
    else if (a === "--publish") args.publish = true;
    else if (a === "--merge") args.merge = true;
    else if (a === "--report-only") args.reportOnly = true;
    else if (a === "--scenario") args.scenarios.push(...value().split(","));
    else if (a === "--out") args.out = resolve(value());
    else if (a === "--threads") args.threads = Number(value());
    else if (a === "--reps") args.reps = Number(value());
    else if (a === "--sizes") args.sizes = value().split(",");
    else if (a === "--help" || a === "-h") args.help = true;
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (args.scenarios.length === 0) args.scenarios = [...SCENARIOS];
  const unknown = args.scenarios.filter((s) => !SCENARIOS.includes(s));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(", ")}; choose from ${SCENARIOS.join(", ")}`);
  args.sizes ??= args.quick ? ["tiny"] : ["tiny", "bench"];
  if (!Number.isInteger(args.threads) || args.threads < 1) throw new Error("--threads must be a positive integer");
  return args;
}

function built(pkg) {
  return existsSync(join(REPO_ROOT, "packages", pkg, "dist", "index.js"));
}

/** Builds the missing bench-size models with Debian's torch (bench_models.py), once, before any scenario. */
function ensureBenchModels(names) {
  const builder = join(REPO_ROOT, "packages", "testing", "builder", "bench_models.py");
  const version = Number(/^BUILDER_VERSION = (\d+)/m.exec(readFileSync(builder, "utf8"))?.[1]);
  const missing = names.filter((n) => {
    const stamp = join(BENCH_MODELS_DIR, n, "bench-model.json");
    return !existsSync(stamp) || JSON.parse(readFileSync(stamp, "utf8")).builder_version !== version;
  });
  if (missing.length === 0) return;
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const probe = spawnSync(python, ["-c", "import torch, onnx"], { encoding: "utf8" });
  if (probe.status !== 0) {
    throw new Error(
      `the bench-size models (${missing.join(", ")}) are built with torch and onnx, which ${python} lacks.\n` +
        "  Install them:  apt-get install -y python3-torch python3-onnx\n" +
        "  or run the tiny fixtures only:  node benchmarks/run.mjs --sizes tiny",
    );
  }
  console.log(`building bench-size models ${missing.join(", ")} into ${BENCH_MODELS_DIR} (a few minutes, once)`);
  const run = spawnSync(python, [builder, "--out", BENCH_MODELS_DIR, ...missing], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`bench_models.py failed:\n${(run.stdout + run.stderr).split("\n").slice(-30).join("\n")}`);
}

let running;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    running?.kill("SIGKILL");
    process.exit(130);
  });
}

function runScenario(name, options, out) {
  const optionsFile = join(out, `.${name}.options.json`);
  const resultFile = join(out, `${name}.json`);
  writeFileSync(optionsFile, JSON.stringify(options));
  return new Promise((resolvePromise) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", join(REPO_ROOT, "benchmarks", "lib", "worker.mjs"), name, optionsFile, resultFile],
      {
        stdio: ["ignore", "inherit", "pipe"],
        cwd: REPO_ROOT,
      },
    );
    running = child;
    child.stderr.on("data", (chunk) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) console.log(`[${name}] ${line}`);
    });
    child.on("exit", (code) => {
      if (existsSync(resultFile)) resolvePromise(JSON.parse(readFileSync(resultFile, "utf8")));
      else resolvePromise({ name, ok: false, error: `the scenario process exited with code ${code} without a result` });
    });
  });
}

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "?";
  }
}

/** The commit measured, with "+changes" when the working tree differs from it. */
function commit() {
  const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).stdout?.trim();
  if (!head) return "unknown";
  const dirty = spawnSync(
    "git",
    ["status", "--porcelain", "--", ...["core", "decoder", "encoder", "seq2seq", "server"].map((p) => `packages/${p}/src`), "benchmarks"],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
    },
  ).stdout?.trim();
  return dirty ? `${head}+changes` : head;
}

function machine() {
  const cores = cpus();
  return {
    cpu: cores[0]?.model ?? "unknown",
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    onnxruntimeNode: packageVersion("onnxruntime-node"),
    transformersJs: packageVersion("@huggingface/transformers"),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(
      readFileSync(new URL(import.meta.url), "utf8")
        .split("*/")[0]
        .replace(/^#!.*\n\/\*\*\n/, ""),
    );
    return;
  }
  if (args.reportOnly) {
    const saved = JSON.parse(readFileSync(join(args.out, "results.json"), "utf8"));
    console.log(`wrote ${writeReport(saved, args.out, args.publish ? join(REPO_ROOT, "docs") : undefined).join(", ")}`);
    return;
  }
  if (!dataDir()) throw new Error("../shared/data is absent: the benchmarks need SST-2 and Multi30k (set PROJ_SHARED_DIR)");
  mkdirSync(args.out, { recursive: true });
  const started = new Date();
  const skipped = [];
  const runnable = args.scenarios.filter((s) => {
    const lacking = NEEDS[s].packages.filter((p) => !built(p));
    if (lacking.length) skipped.push({ name: s, reason: `@proj/${lacking.join(", @proj/")} not built (run \`npm run build\`)` });
    return lacking.length === 0;
  });
  if (args.sizes.includes("bench")) ensureBenchModels([...new Set(runnable.flatMap((s) => NEEDS[s].models))]);

  const before = machine();
  const results = [];
  for (const name of runnable) {
    console.log(`\n== ${name}`);
    const options = { quick: args.quick, threads: args.threads, sizes: args.sizes, warmup: 1, reps: args.reps };
    const result = await runScenario(name, options, args.out);
    console.log(`== ${name}: ${result.ok ? "done" : `FAILED: ${result.error}`} in ${((result.durationMs ?? 0) / 1000).toFixed(0)} s`);
    results.push(result);
  }
  if (args.merge) {
    for (const name of SCENARIOS) {
      const file = join(args.out, `${name}.json`);
      if (!results.some((r) => r.name === name) && existsSync(file)) results.push(JSON.parse(readFileSync(file, "utf8")));
    }
    results.sort((a, b) => SCENARIOS.indexOf(a.name) - SCENARIOS.indexOf(b.name));
  }
  const report = {
    started: started.toISOString(),
    durationMs: args.merge ? results.reduce((n, r) => n + (r.durationMs ?? 0), 0) : Date.now() - started.getTime(),
    mode: args.quick ? "quick" : "full",
    commit: commit(),
    threads: args.threads,
    sizes: args.sizes,
    machine: { ...before, loadAverageAtEnd: machine().loadAverage },
    scenarios: results,
    skipped,
  };
  writeFileSync(join(args.out, "results.json"), JSON.stringify(report, null, 2));
  const files = writeReport(report, args.out, args.publish ? join(REPO_ROOT, "docs") : undefined);
  console.log(`\nwrote ${files.join(", ")} in ${(report.durationMs / 1000).toFixed(0)} s`);
  for (const s of skipped) console.log(`skipped ${s.name}: ${s.reason}`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exit(1);
});
