/**
 * The sustained load test of `proj serve` (issue 19): mixed traffic from autocannon at a fixed number of connections,
 * streaming clients that measure time to first token and clients that hang up mid-stream, a burst above
 * `--max-queue`, RSS and throughput sampled every second, then the checks: no 5xx, every accepted request answered
 * completely or cancelled by its client, the batch and queue back to 0, /health answering, and a graceful shutdown
 * under load that finishes the requests in flight. Used by `benchmarks/load.mjs` (5 minutes) and
 * `benchmarks/test/load.test.ts` (30 s).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { loadReport } from "./load-checks.mjs";
import { KINDS, longStreamBody } from "./mix.mjs";
import { rssOf, startProjServe } from "./proj-serve.mjs";
import { drain, probe } from "./server-state.mjs";
import { shutdownUnderLoad } from "./shutdown-phase.mjs";
import { streamCompletion } from "./stream-client.mjs";

/** A ChatML template: the fixtures and the embedded generation model ship none. */
const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/**
 * @typedef {object} LoadOptions
 * @property {number} durationS - length of the measured phase
 * @property {string} model - the decoder folder
 * @property {string} classify - the classification model folder
 * @property {string} ner - the NER model folder
 * @property {number} [connections] - concurrent connections in all (autocannon + streaming clients) @default 32
 * @property {number} [maxSequences] - `--max-sequences` @default 8
 * @property {number} [maxQueue] - `--max-queue` @default 32
 * @property {number} [threads] - `--threads` (ONNX Runtime) @default 1
 * @property {number} [warmupS] - the first seconds, left out of the RSS growth @default a fifth of the run, at most 60
 * @property {(line: string) => void} [log]
 */

/**
 * Runs the load test; resolves with its figures and checks (it throws only when the server cannot start).
 * @param {LoadOptions} options
 */
export async function runLoad(options) {
  const { durationS, connections = 32, maxSequences = 8, maxQueue = 32, threads = 1, log = () => undefined } = options;
  const warmupS = options.warmupS ?? Math.min(60, durationS / 5);
  const dir = mkdtempSync(join(tmpdir(), "proj-load-"));
  const chatTemplate = join(dir, "chatml.jinja");
  writeFileSync(chatTemplate, CHATML);
  const server = await startProjServe({ ...options, chatTemplate, maxSequences, maxQueue, threads });
  log(`proj serve at ${server.url} (pid ${server.pid})`);
  try {
    await warmUp(server.url);
    log("warmed up");
    const machine = { cores: cpus().length, node: process.version, loadBefore: loadavg()[0] };
    const main = await mainPhase(server, { durationS, connections, maxQueue, log });
    machine.loadAfter = loadavg()[0];
    const drained = await drain(server.url);
    const healthAfter = await probe(server.url);
    log(`drained in ${drained.ms.toFixed(0)} ms; /health after the run: ${healthAfter.status}`);
    const shutdown = await shutdownUnderLoad(server, maxSequences);
    log(`shutdown: ${shutdown.answered.complete}/${shutdown.requests} complete, exit ${shutdown.exit.code ?? shutdown.exit.signal}`);
    return loadReport({
      options: { durationS, connections, maxSequences, maxQueue, threads, warmupS },
      machine,
      main,
      drained,
      healthAfter,
      shutdown,
    });
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Two requests of each kind (greedy and sampled), one after another: sessions created, arenas grown, code compiled. */
async function warmUp(url) {
  for (const kind of KINDS) {
    for (const body of kind.bodies.slice(0, 2)) {
      const response = await fetch(`${url}${kind.path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      const problem = response.status === 200 ? kind.check(text) : `HTTP ${response.status}: ${text.slice(0, 300)}`;
      if (problem) throw new Error(`warm-up ${kind.name}: ${problem}`);
    }
  }
}

/**
 * How many connections each part gets: a tenth hang up mid-stream, a sixth measure TTFT, autocannon has the rest,
 * shared among the request kinds by their weight.
 */
export function splitConnections(connections) {
  const hangUps = Math.max(1, Math.round(connections / 10));
  const streamers = Math.max(1, Math.round(connections / 6));
  const cannon = connections - hangUps - streamers;
  // By weight (largest remainders): a generation is a hundred times the work of a classification.
  const total = KINDS.reduce((n, k) => n + k.weight, 0);
  const exact = KINDS.map((k) => (cannon * k.weight) / total);
  const perKind = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i]).sort((x, y) => y[0] - x[0]);
  for (let left = cannon - perKind.reduce((a, b) => a + b, 0), j = 0; left > 0; left--, j++) perKind[order[j][1]]++;
  return { hangUps, streamers, perKind };
}

async function mainPhase(server, { durationS, connections, maxQueue, log }) {
  const { url, pid } = server;
  const split = splitConnections(connections);
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const seconds = () => (performance.now() - started) / 1000;
  const kinds = Object.fromEntries(KINDS.map((k) => [k.name, { latencies: [], statuses: {}, problems: [], noRetryAfter: 0 }]));
  const samples = [];
  const health = [];
  let answered = 0;

  // autocannon: one instance per kind (its own latencies), all at once.
  const cannons = KINDS.map((kind, i) => {
    const stats = kinds[kind.name];
    const requests = kind.bodies.map((body) => ({
      method: "POST",
      path: kind.path,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      onResponse: (status, text, _context, headers) => {
        stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
        if (status === 200) {
          const problem = kind.check(text);
          if (problem) stats.problems.push(problem);
        } else if (status === 429 && !retryAfterOf(headers)) stats.noRetryAfter++;
      },
    }));
    const instance = autocannon({ url, connections: split.perKind[i], duration: durationS, timeout: 120, requests });
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status === 200) {
        stats.latencies.push(ms);
        answered++;
      }
    });
    return instance;
  });

  // Streaming clients: TTFT of streams read to the end, and a tenth of the clients hanging up mid-stream.
  const streams = { ttft: [], latencies: [], outcomes: {}, statuses: {}, problems: [], noRetryAfter: 0 };
  const streamLoop = async (client, hangUp) => {
    for (let i = client; performance.now() < deadline; i += 997) {
      const r = await streamCompletion(url, longStreamBody(i, 32), hangUp ? { hangUpAfter: 1 + (i % 4) } : {});
      streams.outcomes[r.outcome] = (streams.outcomes[r.outcome] ?? 0) + 1;
      streams.statuses[r.status] = (streams.statuses[r.status] ?? 0) + 1;
      if (r.ttftMs !== undefined) streams.ttft.push(r.ttftMs);
      if (r.outcome === "complete") {
        streams.latencies.push(r.ms);
        answered++;
      }
      if (r.outcome === "incomplete") streams.problems.push(r.problem);
      if (r.outcome === "refused") {
        if (!r.retryAfter) streams.noRetryAfter++;
        await sleep(1000 * Number(r.retryAfter ?? 1));
      }
    }
  };
  const clients = [
    ...Array.from({ length: split.streamers }, (_, c) => streamLoop(c, false)),
    ...Array.from({ length: split.hangUps }, (_, c) => streamLoop(split.streamers + c, true)),
  ];

  // The burst: three times --max-queue completions at once, in the middle of the run.
  const burst = sleep((durationS * 1000) / 2).then(() => burstAbove(url, 3 * maxQueue, seconds));

  // Every second: RSS, requests answered in that second, and whether /health answers.
  let lastAnswered = 0;
  const sampler = setInterval(() => {
    const t = seconds();
    samples.push({ t, rss: rssOf(pid), rps: answered - lastAnswered });
    lastAnswered = answered;
    probe(url).then((h) => health.push({ t, ...h }));
    if (Math.round(t) % 10 === 0) log(`  ${t.toFixed(0)} s: ${answered} answered, RSS ${(rssOf(pid) / 2 ** 20).toFixed(1)} MiB`);
  }, 1000);

  const [cannonResults, , burstResult] = await Promise.all([Promise.all(cannons), Promise.all(clients), burst]);
  clearInterval(sampler);
  const wallS = seconds();
  const cannon = Object.fromEntries(
    KINDS.map((kind, i) => {
      const r = cannonResults[i];
      return [kind.name, { ...kinds[kind.name], errors: r.errors, timeouts: r.timeouts, connections: split.perKind[i] }];
    }),
  );
  return { wallS, split, cannon, streams, burst: burstResult, samples, health, answered };
}

/** `n` non-streamed completions at once: each is answered completely or refused with 429 and `Retry-After`. */
async function burstAbove(url, n, seconds) {
  const at = seconds();
  const results = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const response = await fetch(`${url}/v1/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt: "A man", max_tokens: 16, seed: i, temperature: 0.8 }),
      });
      const text = await response.text();
      const problem = response.status === 200 ? KINDS[0].check(text) : undefined;
      return { status: response.status, retryAfter: response.headers.get("retry-after"), problem };
    }),
  );
  const count = (f) => results.filter(f).length;
  return {
    at,
    requests: n,
    ok: count((r) => r.status === 200 && !r.problem),
    refused: count((r) => r.status === 429),
    refusedWithRetryAfter: count((r) => r.status === 429 && Number(r.retryAfter) > 0),
    other: results.filter((r) => (r.status !== 200 && r.status !== 429) || r.problem).map((r) => `${r.status} ${r.problem ?? ""}`),
  };
}

function retryAfterOf(headers) {
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "retry-after");
  return entry && Number(entry[1]) > 0 ? entry[1] : undefined;
}
