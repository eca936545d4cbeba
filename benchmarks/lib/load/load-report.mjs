/**
 * The figures of a load run as Markdown (the "Sustained load" section of docs/reliability.md), as console lines,
 * and as an SVG chart of RSS and throughput over time.
 */
import { num } from "../report.mjs";
import { lineChart } from "../svg.mjs";

const MIB = 2 ** 20;
const pct = (x) => `${(100 * x).toFixed(2)} %`;

/**
 * The Markdown tables of a run: latency per request kind and TTFT, then throughput, refusals, memory and checks.
 * @param {Awaited<ReturnType<typeof import("./run-load.mjs").runLoad>>} result
 */
export function loadTables(result) {
  const { figures: f, options: o, shutdown } = result;
  const latencyRows = Object.entries(f.latency).map(([kind, l]) => `| ${kind} | ${l.n} | ${num(l.p50)} | ${num(l.p95)} | ${num(l.p99)} |`);
  const lines = [
    "| request kind (200s) | answered | p50 ms | p95 ms | p99 ms |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...latencyRows,
    `| time to first token (streams read by fetch, hang-ups included) | ${f.ttft.n} | ${num(f.ttft.p50)} | ${num(f.ttft.p95)} | ${num(f.ttft.p99)} |`,
    "",
    "| figure | value |",
    "| --- | ---: |",
    `| measured phase | ${num(f.wallS)} s (${o.connections} connections: ${describeSplit(result)}) |`,
    `| requests answered with 200 | ${f.answered} (${num(f.requestsPerSecond)} per second) |`,
    `| refused with 429 (all with Retry-After) | ${f.refused} of ${f.responses} responses (${pct(f.refusedRate)}) |`,
    `| burst of ${f.burst.requests} completions at once (3 × --max-queue ${o.maxQueue}) | ${f.burst.ok} answered, ${f.burst.refused} refused with 429 |`,
    `| streams hung up mid-stream by their client | ${f.streams["hung up"] ?? 0} |`,
    `| RSS: min, max over the run | ${num(f.rss.min / MIB)}, ${num(f.rss.max / MIB)} MiB |`,
    `| RSS after warm-up (${num(o.warmupS)} s): first third, last third (medians) | ${num(f.rss.early / MIB)}, ${num(f.rss.late / MIB)} MiB |`,
    `| RSS growth after warm-up | ${pct(f.rss.growth)} |`,
    `| /health probes during the run, failed, p99 | ${f.health.probes}, ${f.health.failures}, ${num(f.health.p99Ms)} ms |`,
    `| after the run: batch, queue, requests in flight | ${result.drained.batchCurrentSize}, ${result.drained.queueSize}, ${result.drained.requestsInFlight} (after ${num(result.drained.ms)} ms) |`,
    `| SIGTERM with ${shutdown.unfinishedAtSigterm} generations in flight | ${shutdown.answered.complete} of ${shutdown.requests} finished with 200, exit code ${shutdown.exit.code} ${num(shutdown.exitMs / 1000)} s after SIGTERM |`,
    `| task requests from 4 clients around SIGTERM | ${shutdown.side.complete} answered in full, ${shutdown.side.refused} refused with 503 and Retry-After, ${shutdown.side.closed} refused at the connection, ${shutdown.side.closedAsSigtermCame} sent as SIGTERM came and closed unread, ${shutdown.side.problems.length} lost |`,
    "",
    "| check | outcome |",
    "| --- | --- |",
    ...result.checks.map((c) => `| ${c.name} | ${c.ok ? "pass" : `**fail**: ${c.detail}`} |`),
  ];
  return lines.join("\n");
}

/** Console lines summing up a run. */
export function loadSummary(result) {
  const { figures: f } = result;
  return [
    ...Object.entries(f.latency).map(
      ([kind, l]) => `${kind}: ${l.n} answered, p50 ${num(l.p50)} ms, p95 ${num(l.p95)} ms, p99 ${num(l.p99)} ms`,
    ),
    `TTFT (${f.ttft.n} streams): p50 ${num(f.ttft.p50)} ms, p95 ${num(f.ttft.p95)} ms, p99 ${num(f.ttft.p99)} ms`,
    `${f.answered} answered in ${num(f.wallS)} s (${num(f.requestsPerSecond)}/s); 429: ${f.refused} of ${f.responses} (${pct(f.refusedRate)})`,
    `RSS ${num(f.rss.min / MIB)}–${num(f.rss.max / MIB)} MiB; after warm-up ${num(f.rss.early / MIB)} -> ${num(f.rss.late / MIB)} MiB (${pct(f.rss.growth)})`,
    ...result.checks.map((c) => `${c.ok ? "pass" : "FAIL"}: ${c.name}${c.ok ? "" : ` (${c.detail})`}`),
  ];
}

/**
 * RSS (MiB) and requests answered per second (averaged over `window` seconds) over the run, as SVG.
 * @param {Awaited<ReturnType<typeof import("./run-load.mjs").runLoad>>} result
 * @param {number} [window]
 */
export function loadChart(result, window = 10) {
  const samples = result.figures.samples;
  const throughput = [];
  for (let i = 0; i + window <= samples.length; i += window) {
    const part = samples.slice(i, i + window);
    throughput.push({ x: part[part.length - 1].t, y: part.reduce((n, s) => n + s.rps, 0) / part.length });
  }
  return lineChart({
    title: "proj serve under sustained load: RSS and throughput",
    xAxis: "seconds since the load started",
    marks: [
      { x: result.options.warmupS, label: "end of warm-up" },
      { x: result.figures.burst.at, label: `burst of ${result.figures.burst.requests}` },
    ],
    lines: [
      { name: "RSS", axis: "MiB", side: "left", color: "#2563eb", points: samples.map((s) => ({ x: s.t, y: s.rss / MIB })) },
      { name: "requests answered", axis: `per s, ${window} s mean`, side: "right", color: "#f59e0b", points: throughput },
    ],
  });
}

function describeSplit(result) {
  const { split } = result.figures;
  return `autocannon ${split.perKind.reduce((a, b) => a + b, 0)}, streaming clients ${split.streamers}, clients hanging up mid-stream ${split.hangUps}`;
}
