/**
 * Markdown report with SVG charts from a run's results. Scenarios made of measured cases (contenders, ratios)
 * get generic tables and a chart; scenarios may add their own `tables`, `charts` and `notes`.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { barChart } from "./svg.mjs";

const ORDER = ["proj", "transformers.js", "floor"];
const UNIT_RATE = { tokens: "tokens/s", sentences: "sentences/s", texts: "texts/s", requests: "requests/s" };

/** Formats a number with 3 significant digits. */
export function num(v, digits = 3) {
  if (v === undefined || v === null || !Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString("en-US");
  return Number(v.toPrecision(digits)).toString();
}

function withSpread(s) {
  if (!s || !Number.isFinite(s.median)) return "–";
  const spread = Number.isFinite(s.spread) && s.n > 1 ? ` ±${Math.round((s.spread * 100) / 2)}%` : "";
  return `${num(s.median)}${spread}`;
}

/** A ratio cell: bold median, min–max over rounds. */
export function ratioCell(s) {
  return ratio(s);
}

function ratio(s) {
  if (!s || !Number.isFinite(s.median)) return "–";
  const range = s.n > 1 ? ` (${num(s.min, 2)}–${num(s.max, 2)})` : "";
  return `**${num(s.median, 3)}×**${range}`;
}

function table(columns, rows) {
  const head = `| ${columns.join(" | ")} |`;
  const rule = `| ${columns.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`;
  return [head, rule, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function casesTable(cases) {
  const unit = UNIT_RATE[cases[0]?.unit] ?? `${cases[0]?.unit}/s`;
  const present = ORDER.filter((id) => cases.some((c) => c.contenders[id]));
  const sized = cases.some((c) => c.size);
  const columns = [
    ...(sized ? ["model"] : []),
    "case",
    ...present.map((id) => `${id} ${unit}`),
    ...present.filter((id) => id !== "proj").map((id) => `proj ÷ ${id}`),
  ];
  const rows = cases.map((c) => [
    ...(sized ? [c.size] : []),
    c.variant ?? c.name,
    ...present.map((id) => withSpread(c.contenders[id]?.throughput)),
    ...present.filter((id) => id !== "proj").map((id) => ratio(c.ratios?.[`proj/${id}`]?.throughput)),
  ]);
  return table(columns, rows);
}

function latencyTable(cases) {
  const withLatency = cases.filter((c) => c.contenders.proj?.ttftMs && c.latency !== false);
  if (withLatency.length === 0) return "";
  const present = ORDER.filter((id) => withLatency.some((c) => c.contenders[id]));
  const columns = [
    "model",
    "case",
    ...present.map((id) => `TTFT ${id} ms`),
    ...present.map((id) => `TPOT ${id} ms`),
    ...present.filter((id) => id !== "proj").flatMap((id) => [`TTFT proj ÷ ${id}`, `TPOT proj ÷ ${id}`]),
  ];
  const rows = withLatency.map((c) => [
    c.size ?? "",
    c.variant ?? c.name,
    ...present.map((id) => withSpread(c.contenders[id]?.ttftMs)),
    ...present.map((id) => withSpread(c.contenders[id]?.tpotMs)),
    ...present
      .filter((id) => id !== "proj")
      .flatMap((id) => [ratio(c.ratios?.[`proj/${id}`]?.ttftMs), ratio(c.ratios?.[`proj/${id}`]?.tpotMs)]),
  ]);
  return table(columns, rows);
}

function casesChart(scenario) {
  const cases = scenario.cases.filter((c) => c.vsFloor);
  if (cases.length === 0) return undefined;
  const series = ORDER.filter((id) => id !== "floor" && cases.some((c) => c.vsFloor[id]));
  return barChart({
    title: `${scenario.title}: throughput relative to the floor`,
    axis: "throughput ÷ floor's, same round (1 = bare ONNX Runtime); whiskers: min–max over rounds",
    series,
    reference: 1,
    referenceLabel: "floor = 1",
    groups: cases.map((c) => ({
      label: `${c.size ? `${c.size}: ` : ""}${c.variant ?? c.name}`,
      bars: series.map((id) => ({ series: id, value: c.vsFloor[id]?.median, lo: c.vsFloor[id]?.min, hi: c.vsFloor[id]?.max })),
    })),
  });
}

function consistencyNotes(cases) {
  return cases
    .filter((c) => c.consistent && !c.consistent.same)
    .map(
      (c) =>
        `- ${c.size ? `${c.size}: ` : ""}${c.variant ?? c.name}: the contenders' outputs differ (${JSON.stringify(c.consistent.values).slice(0, 300)})`,
    );
}

/** Headline ratios against the issue's targets. */
function headline(report) {
  const rows = [];
  const find = (scenario, pred) => report.scenarios.find((s) => s.name === scenario)?.cases?.filter(pred) ?? [];
  for (const c of find("generation", (c) => c.variant?.startsWith("greedy"))) {
    const target = c.size === "tiny" ? 1.5 : 1.1;
    const r = c.ratios?.["proj/transformers.js"]?.throughput?.median;
    rows.push([
      `generation tokens/s, ${c.size}, ${c.variant}`,
      "proj ÷ transformers.js",
      `≥ ${target}×`,
      ratio(c.ratios?.["proj/transformers.js"]?.throughput),
      verdict(r, target),
    ]);
    if (c.size === "bench") {
      const f = c.ratios?.["proj/floor"]?.throughput?.median;
      rows.push([
        `generation tokens/s, ${c.size}, ${c.variant}`,
        "proj ÷ floor",
        "≥ 0.95×",
        ratio(c.ratios?.["proj/floor"]?.throughput),
        verdict(f, 0.95),
      ]);
    }
  }
  for (const c of find("classification", (c) => c.batchSize === 32)) {
    const r = c.ratios?.["proj/transformers.js"]?.throughput?.median;
    rows.push([
      `classification sentences/s, ${c.size}, batch 32`,
      "proj ÷ transformers.js",
      "≥ 2×",
      ratio(c.ratios?.["proj/transformers.js"]?.throughput),
      verdict(r, 2),
    ]);
    if (c.size === "bench") {
      const f = c.ratios?.["proj/floor"]?.throughput?.median;
      rows.push([
        `classification sentences/s, ${c.size}, batch 32`,
        "proj ÷ floor",
        "≥ 0.95×",
        ratio(c.ratios?.["proj/floor"]?.throughput),
        verdict(f, 0.95),
      ]);
    }
  }
  for (const c of find("embedding", (c) => c.size === "bench")) {
    const label = `embedding sentences/s, bench, ${c.variant}`;
    const t = c.ratios?.["proj/transformers.js"]?.throughput;
    const f = c.ratios?.["proj/floor"]?.throughput;
    rows.push([label, "proj ÷ transformers.js", "≥ 1.8×", ratio(t), verdict(t?.median, 1.8)]);
    rows.push([label, "proj ÷ floor", "≥ 0.95×", ratio(f), verdict(f?.median, 0.95)]);
  }
  for (const c of find("seq2seq", (c) => c.size === "bench")) {
    const f = c.ratios?.["proj/floor"]?.throughput?.median;
    rows.push([
      `seq2seq tokens/s, bench, ${c.variant}`,
      "proj ÷ floor",
      "≥ 0.95×",
      ratio(c.ratios?.["proj/floor"]?.throughput),
      verdict(f, 0.95),
    ]);
  }
  const server = report.scenarios.find((s) => s.name === "server");
  if (server?.headline) rows.push(server.headline);
  if (rows.length === 0) return "";
  return table(["figure", "ratio", "target", "measured (median, min–max)", ""], rows);
}

function verdict(value, target) {
  if (!Number.isFinite(value)) return "";
  return value >= target ? "met" : "**missed**";
}

function machineLine(m) {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.platform}; Node ${m.node}; onnxruntime-node ${m.onnxruntimeNode}; @huggingface/transformers ${m.transformersJs}; load average ${m.loadAverage.join(" / ")} at the start, ${m.loadAverageAtEnd.join(" / ")} at the end`;
}

/**
 * Writes report.md and the charts into `out`; with `docsDir`, also docs/benchmarks.md and docs/benchmarks/*.svg.
 * @returns {string[]} the files written
 */
export function writeReport(report, out, docsDir) {
  const charts = [];
  const lines = [
    "# Benchmarks",
    "",
    `${report.mode === "quick" ? "A **quick** (smoke) run: tiny fixtures, few repetitions; its figures are not the published ones. " : ""}` +
      `Run of ${report.started.slice(0, 16).replace("T", " ")} UTC${report.commit ? ` at commit ${report.commit}` : ""}, ${report.mode} mode, ${Math.round(report.durationMs / 60000)} min in all; ` +
      `ONNX Runtime intra-op threads: ${report.threads} in every contender.`,
    "",
    `Machine: ${machineLine(report.machine)}. It is shared and noisy (other processes run on it), so absolute times are not claims: the figures that mean something are the **ratios** of contenders measured side by side, in the same rounds.`,
    "",
    "## How it is measured",
    "",
    "- Three contenders do the same work on the same model files with the same ONNX Runtime thread count: **proj** (the SDK, as a user calls it), " +
      "**transformers.js** (`@huggingface/transformers`, pipeline as its docs show) and the **floor** (a bare loop of `onnxruntime-node` `InferenceSession.run` calls doing the same forward passes as proj, with tokenization by the same Rust `tokenizers` binding and greedy argmax: no SDK).",
    "- Each case: models loaded, one warm-up run each, then rounds of A B C (proj, transformers.js, floor) interleaved; medians over rounds, ± half the min–max range in percent.",
    "- Ratios are **speed ratios computed per round** (the three runs of a round are seconds apart) and then summarized: `proj ÷ X` > 1 means proj is faster (higher throughput, or lower latency).",
    "- Model sizes: the **tiny** committed fixtures (SDK overhead dominates) and **bench**-size random-weight models with the shapes of real ones (DistilBERT, all-MiniLM-L6-v2, GPT-2 small, T5-small), built on demand by `packages/testing/builder/bench_models.py` into `.cache/bench-models/`.",
    "- Reproduce: `npm run bench` (full), `npm run bench -- --quick` (smoke), `node benchmarks/run.mjs --scenario generation --sizes bench`.",
    "",
  ];
  const head = headline(report);
  if (head) lines.push("## Headline ratios", "", head, "");
  // The hand-written reading of the published run (where we win, where we lose, and why).
  const reading = join(new URL("..", import.meta.url).pathname, "READING.md");
  if (report.mode === "full" && existsSync(reading)) lines.push(readFileSync(reading, "utf8").trim(), "");

  for (const s of report.scenarios) {
    lines.push(`## ${s.title ?? s.name}`, "");
    if (!s.ok) {
      lines.push(`Failed: ${s.error}`, "");
      continue;
    }
    if (s.description) lines.push(s.description, "");
    if (s.cases?.length) {
      const models = [...new Set(s.cases.map((c) => c.model).filter(Boolean))];
      if (models.length)
        lines.push(`Models: ${models.map((m, i) => `${s.cases.find((c) => c.model === m)?.size ?? i}: ${m}`).join("; ")}.`, "");
      lines.push(casesTable(s.cases), "");
      const latency = latencyTable(s.cases);
      if (latency) lines.push(latency, "");
      const svg = casesChart(s);
      if (svg) {
        const file = `${s.name}.svg`;
        charts.push([file, svg]);
        lines.push(`![${s.title}](benchmarks/${file})`, "");
      }
      const notes = [
        ...new Set(s.cases.flatMap((c) => [...Object.values(c.contenders).map((v) => v.note), ...(c.notes ?? [])].filter(Boolean))),
      ];
      for (const n of notes) lines.push(`- ${n}`);
      lines.push(...consistencyNotes(s.cases));
      if (notes.length || consistencyNotes(s.cases).length) lines.push("");
    }
    for (const t of s.tables ?? []) lines.push(t.title ? `**${t.title}**` : "", "", table(t.columns, t.rows), "");
    for (const c of s.charts ?? []) {
      charts.push([c.file, barChart(c.spec)]);
      lines.push(`![${c.spec.title}](benchmarks/${c.file})`, "");
    }
    for (const n of s.notes ?? []) lines.push(`- ${n}`);
    if (s.notes?.length) lines.push("");
    const rss = s.cases?.length ? `peak RSS ${num(s.peakRssBytes / 2 ** 20)} MiB (all contenders loaded in it), ` : "";
    lines.push(`Scenario process: ${rss}${num(s.durationMs / 1000)} s.`, "");
  }
  for (const s of report.skipped ?? []) lines.push(`## ${s.name}`, "", `Skipped: ${s.reason}.`, "");

  const markdown = `${lines.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
  const written = [];
  // In benchmarks/results the charts sit beside report.md; in docs/ they sit in docs/benchmarks/.
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "report.md"), markdown.replaceAll("](benchmarks/", "]("));
  written.push(join(out, "report.md"));
  for (const [file, svg] of charts) {
    writeFileSync(join(out, file), svg);
    written.push(join(out, file));
  }
  if (docsDir) {
    mkdirSync(join(docsDir, "benchmarks"), { recursive: true });
    writeFileSync(join(docsDir, "benchmarks.md"), markdown);
    written.push(join(docsDir, "benchmarks.md"));
    for (const [file] of charts) copyFileSync(join(out, file), join(docsDir, "benchmarks", file));
  }
  return written;
}
