import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");
const SHARED = existsSync(resolve(ROOT, "..", "shared", "data")) || process.env.PROJ_SHARED_DIR !== undefined;
const CONTENDERS = ["proj", "transformers.js", "floor"];

// The smoke run of the whole suite (tiny fixtures, few rounds): it checks the report's shape, not its numbers.
describe.skipIf(!SHARED)("npm run bench -- --quick", () => {
  let out: string;
  let results: {
    mode: string;
    durationMs: number;
    machine: { cores: number };
    scenarios: Array<Record<string, unknown> & { name: string; ok: boolean; cases?: Array<Record<string, unknown>> }>;
    skipped: Array<{ name: string }>;
  };
  let run: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "proj-bench-"));
    run = spawnSync(process.execPath, [join(ROOT, "benchmarks", "run.mjs"), "--quick", "--out", out], {
      encoding: "utf8",
      timeout: 1_500_000, // a hang guard only: on a busy 2-core machine the quick run takes 4 to 7 minutes
    });
    results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
  });
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("finishes with every scenario run and none failed (its duration is reported, not asserted)", () => {
    expect(run.status, String(run.stdout).slice(-3000)).toBe(0);
    expect(results.mode).toBe("quick");
    expect(results.durationMs).toBeGreaterThan(0);
    expect(results.skipped).toEqual([]);
    expect(results.scenarios.map((s) => s.name)).toEqual([
      "classification",
      "embedding",
      "generation",
      "batched-generation",
      "seq2seq",
      "tokenization",
      "memory",
      "server",
    ]);
    for (const s of results.scenarios) expect(s.ok, `${s.name}: ${String(s.error)}`).toBe(true);
  });

  it("measures every case for the three contenders, with finite medians and per-round ratios", () => {
    const measured = results.scenarios.filter((s) => s.cases);
    expect(measured.length).toBe(6);
    for (const s of measured) {
      for (const c of s.cases ?? []) {
        const contenders = c.contenders as Record<string, { throughput: { median: number; n: number } }>;
        const expected = s.name === "seq2seq" && c.numBeams !== 1 ? ["proj", "floor"] : CONTENDERS;
        expect(Object.keys(contenders).sort(), `${s.name} ${String(c.name)}`).toEqual([...expected].sort());
        for (const id of expected) {
          expect(Number.isFinite(contenders[id]?.throughput.median), `${s.name} ${String(c.name)} ${id}`).toBe(true);
          expect(contenders[id]?.throughput.n).toBeGreaterThanOrEqual(2);
        }
        const ratios = c.ratios as Record<string, { throughput: { median: number } }>;
        expect(Number.isFinite(ratios["proj/floor"]?.throughput.median)).toBe(true);
      }
    }
  });

  it("has the contenders agree on the work done in the greedy, classification and embedding cases", () => {
    for (const s of results.scenarios) {
      for (const c of s.cases ?? []) {
        const consistent = c.consistent as { same: boolean; values: unknown } | undefined;
        if (consistent) expect(consistent.same, `${s.name} ${String(c.name)}: ${JSON.stringify(consistent.values)}`).toBe(true);
      }
    }
  });

  it("reports memory for each contender and the server at concurrency 1, 4 and 16", () => {
    const memory = results.scenarios.find((s) => s.name === "memory") as { results: Array<{ contender: string; checkpoints: unknown[] }> };
    expect(memory.results.map((r) => r.contender).sort()).toEqual([...CONTENDERS, ...CONTENDERS].sort());
    const server = results.scenarios.find((s) => s.name === "server") as {
      results: Array<{ concurrency: number; speedup: { median: number } }>;
    };
    expect(server.results.map((r) => r.concurrency)).toEqual([1, 4, 16]);
    for (const r of server.results) expect(Number.isFinite(r.speedup.median)).toBe(true);
  });

  it("writes a Markdown report with a section per scenario and well-formed SVG charts it links to", () => {
    const report = readFileSync(join(out, "report.md"), "utf8");
    for (const s of results.scenarios) expect(report).toContain(`## ${String(s.title)}`);
    expect(report).toContain("## Headline ratios");
    const charts = [...report.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1] as string);
    expect(charts.length).toBeGreaterThanOrEqual(6);
    for (const chart of charts) {
      const svg = readFileSync(join(out, chart), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg.trim().endsWith("</svg>")).toBe(true);
    }
  });
});
