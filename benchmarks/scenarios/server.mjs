import { spawn } from "node:child_process";
import { join } from "node:path";
import { MODEL_LABELS, modelDir, REPO_ROOT, sst2Dev } from "../lib/context.mjs";
import { num, ratioCell } from "../lib/report.mjs";
import { percentile, summarize } from "../lib/stats.mjs";

const MODES = ["batched", "sequential"];
const MODE_LABEL = { batched: "continuous batching", sequential: "one at a time" };

/** Starts a server process; resolves with its URL and a stop function. */
function startServer(dir, threads, mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, "benchmarks", "lib", "server-child.mjs"), dir, String(threads), mode], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (c) => {
      err += c;
    });
    child.stdout.on("data", (c) => {
      out += c;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        const { url } = JSON.parse(line);
        resolve({
          url,
          stop: () =>
            new Promise((done) => {
              child.once("exit", done);
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`the ${mode} server exited (${code}): ${err.slice(-800)}`)));
  });
}

/** One streamed completion: time to the first token, tokens generated (from the usage chunk), wall time. */
async function completion(url, prompt, maxTokens) {
  const start = performance.now();
  const response = await fetch(`${url}/v1/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "bench",
      prompt,
      max_tokens: maxTokens,
      temperature: 0,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffer = "";
  let ttftMs;
  let tokens = 0;
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let at = buffer.indexOf("\n\n"); at >= 0; at = buffer.indexOf("\n\n")) {
      const event = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const data = event
        .split("\n")
        .find((l) => l.startsWith("data: "))
        ?.slice(6);
      if (!data || data === "[DONE]") continue;
      const json = JSON.parse(data);
      if (json.choices?.length && ttftMs === undefined) ttftMs = performance.now() - start;
      if (json.usage) tokens = json.usage.completion_tokens;
    }
  }
  return { ttftMs: ttftMs ?? performance.now() - start, tokens, ms: performance.now() - start };
}

/** A closed loop of `concurrency` clients sending `requests` completions in all, each as soon as its previous one ends. */
async function loadRun(url, concurrency, requests, prompts, maxTokens) {
  let next = 0;
  const results = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        results.push(await completion(url, prompts[i % prompts.length], maxTokens));
      }
    }),
  );
  const wallMs = performance.now() - started;
  const tokens = results.reduce((n, r) => n + r.tokens, 0);
  const ttfts = results.map((r) => r.ttftMs);
  return { tokensPerSecond: (tokens * 1000) / wallMs, tokens, wallMs, ttftP50: percentile(ttfts, 50), ttftP95: percentile(ttfts, 95) };
}

/** Issue 10's scenario: @proj/server on a decoder, continuous batching vs one sequence at a time, at concurrency 1, 4, 16. */
export default {
  name: "server",
  title: "Server: continuous batching vs one at a time",
  description:
    "`@proj/server` (`createServer`) serving a decoder over loopback HTTP, in its own process; a closed-loop load generator (in the scenario " +
    "process) keeps 1, 4 or 16 streamed `/v1/completions` requests in flight (SST-2 sentences as prompts, greedy, `ignore_eos`, a fixed " +
    "`max_tokens`). Two servers on the same model files: continuous batching (up to 16 sequences decoded together) and one sequence at a " +
    "time (`batching: false`), run in alternation. Tokens/s is completion tokens over the run's wall time; TTFT is from sending the " +
    "request to its first streamed token (queueing included), p50 and p95 over the run's requests, median over rounds.",
  async run(ctx) {
    const size = ctx.quick ? "tiny" : ctx.sizes.includes("bench") ? "bench" : "tiny";
    const dir = modelDir("decoder", size);
    const maxTokens = ctx.quick ? 32 : 64;
    const prompts = sst2Dev().slice(200, 264);
    const reps = ctx.options.reps ?? (ctx.quick ? 1 : 2);
    const servers = {};
    try {
      for (const mode of MODES) servers[mode] = await startServer(dir, ctx.threads, mode);
      // Warm-up: a few requests on each (sessions, arenas, JIT).
      for (const mode of MODES) await loadRun(servers[mode].url, 4, 4, prompts, 8);
      const rows = [];
      const results = [];
      for (const concurrency of [1, 4, 16]) {
        const requests = ctx.quick ? Math.max(2, concurrency) : Math.max(4, concurrency === 16 ? 16 : 2 * concurrency);
        const runs = { batched: [], sequential: [] };
        for (let rep = 0; rep < reps; rep++) {
          for (const mode of MODES) {
            const r = await loadRun(servers[mode].url, concurrency, requests, prompts, maxTokens);
            runs[mode].push(r);
            ctx.log(
              `  concurrency ${concurrency} round ${rep + 1}/${reps}, ${mode}: ${num(r.tokensPerSecond)} tokens/s, TTFT p50 ${num(r.ttftP50)} ms`,
            );
          }
        }
        const pick = (mode, key) => summarize(runs[mode].map((r) => r[key]));
        const speedup = summarize(runs.batched.map((r, i) => r.tokensPerSecond / runs.sequential[i].tokensPerSecond));
        const base = summarize(runs.sequential.map((r) => r.tokensPerSecond));
        results.push({ concurrency, requests, maxTokens, runs, speedup, batched: pick("batched", "tokensPerSecond"), sequential: base });
        rows.push([
          String(concurrency),
          String(requests),
          num(pick("batched", "tokensPerSecond").median),
          num(base.median),
          ratioCell(speedup),
          num(pick("batched", "ttftP50").median),
          num(pick("batched", "ttftP95").median),
          num(pick("sequential", "ttftP50").median),
          num(pick("sequential", "ttftP95").median),
        ]);
      }
      const at16 = results.find((r) => r.concurrency === 16)?.speedup;
      const baseline = results.find((r) => r.concurrency === 1)?.sequential.median;
      return {
        size,
        model: MODEL_LABELS[`decoder:${size}`],
        results,
        headline: [
          `server tokens/s at concurrency 16, ${size}`,
          "batching ÷ one at a time",
          "≥ 4×",
          ratioCell(at16),
          Number.isFinite(at16?.median) ? (at16.median >= 4 ? "met" : "**missed**") : "",
        ],
        tables: [
          {
            title: `${MODEL_LABELS[`decoder:${size}`]}, ${maxTokens} new tokens per request`,
            columns: [
              "concurrency",
              "requests per run",
              "batching tokens/s",
              "one at a time tokens/s",
              "batching ÷ one at a time",
              "TTFT p50 batching ms",
              "TTFT p95 batching ms",
              "TTFT p50 one at a time ms",
              "TTFT p95 one at a time ms",
            ],
            rows,
          },
        ],
        charts: [
          {
            file: "server.svg",
            spec: {
              title: "Server tokens/s relative to one at a time at concurrency 1",
              axis: `tokens/s ÷ one-at-a-time tokens/s at concurrency 1 (${size} model)`,
              series: MODES.map((m) => MODE_LABEL[m]),
              reference: 1,
              groups: results.map((r) => ({
                label: `concurrency ${r.concurrency}`,
                bars: MODES.map((m) => ({
                  series: MODE_LABEL[m],
                  value: r[m].median / baseline,
                  lo: r[m].min / baseline,
                  hi: r[m].max / baseline,
                })),
              })),
            },
          },
        ],
      };
    } finally {
      for (const s of Object.values(servers)) await s.stop();
    }
  },
};
