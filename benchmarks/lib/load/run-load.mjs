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
import autocannon from "autocannon";
import { percentile, quantile } from "../stats.mjs";
import { KINDS, longStreamBody } from "./mix.mjs";
import { rssOf, startProjServe } from "./proj-serve.mjs";
import { streamCompletion } from "./stream-client.mjs";

/** A ChatML template: the fixtures and the embedded generation model ship none. */
const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
    return report({
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

/** GET /health with a 10 s limit. */
async function probe(url) {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) });
    const body = await response.json();
    return { status: response.status, ms: performance.now() - started, body };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, error: String(error) };
  }
}

/** Waits (up to 30 s) until /health and /metrics say nothing is in flight, running or queued. */
async function drain(url) {
  const started = performance.now();
  let last;
  while (performance.now() - started < 30_000) {
    const h = await probe(url);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const gauge = (name) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(metrics)?.[1]);
    last = {
      health: h.body,
      batchCurrentSize: gauge("proj_batch_current_size"),
      queueSize: gauge("proj_queue_size"),
      // The scrape itself is in flight.
      requestsInFlight: gauge("proj_requests_in_flight") - 1,
    };
    const idle = h.body?.requests_in_flight === 0 && h.body?.batch_size === 0 && h.body?.queue_size === 0;
    if (idle && last.batchCurrentSize === 0 && last.queueSize === 0 && last.requestsInFlight === 0) {
      return { idle: true, ms: performance.now() - started, ...last };
    }
    await sleep(100);
  }
  return { idle: false, ms: performance.now() - started, ...last };
}

/**
 * Graceful shutdown under load: `n` long generations (half streamed) in flight, then SIGTERM. Each must finish with
 * 200 and a complete body, and the process exit 0.
 */
async function shutdownUnderLoad(server, n) {
  const { url } = server;
  let settled = 0;
  const requests = Array.from({ length: n }, async (_, i) => {
    const body = longStreamBody(i, 64);
    const result =
      i % 2 === 0
        ? await streamCompletion(url, body)
        : await (async () => {
            try {
              const response = await fetch(`${url}/v1/completions`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ ...body, stream: false }),
              });
              const problem = KINDS[0].check(await response.text());
              return { status: response.status, outcome: response.status === 200 && !problem ? "complete" : "incomplete", problem };
            } catch (error) {
              return { status: 0, outcome: "incomplete", problem: String(error?.cause ?? error) };
            }
          })();
    settled++;
    return result;
  });
  const started = performance.now();
  let inFlight = 0;
  while (performance.now() - started < 20_000) {
    inFlight = (await probe(url)).body?.requests_in_flight ?? 0;
    if (inFlight >= n || settled > 0) break;
    await sleep(20);
  }
  // Task requests keep coming, before and after SIGTERM, until the process is gone.
  const side = { complete: 0, refused: 0, closed: 0, closedAsSigtermCame: 0, problems: [] };
  let sigterm;
  let exited = false;
  const sideClients = Array.from({ length: 4 }, (_, c) =>
    taskClient(
      url,
      c,
      side,
      () => sigterm !== undefined,
      () => exited,
    ),
  );
  await sleep(500);
  const unfinishedAtSigterm = n - settled;
  sigterm = performance.now();
  process.kill(server.pid, "SIGTERM");
  const results = await Promise.all(requests);
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ code: null, signal: "still running 60 s after SIGTERM" }), 60_000);
  });
  const exit = await Promise.race([server.exited, late]);
  const exitMs = performance.now() - sigterm;
  clearTimeout(timer);
  exited = true;
  await Promise.all(sideClients);
  return {
    requests: n,
    inFlightAtSigterm: inFlight,
    unfinishedAtSigterm,
    answered: { complete: results.filter((r) => r.outcome === "complete").length },
    problems: results.filter((r) => r.outcome !== "complete").map((r) => `${r.status} ${r.problem ?? r.outcome}`),
    side,
    exit,
    exitMs,
  };
}

/**
 * Classifications and NER, one after another, until `stop()`: each answered in full, or, once SIGTERM was sent,
 * refused with 503 and `Retry-After` or at the connection (the server closed it, or no longer listens).
 */
async function taskClient(url, c, side, afterSigterm, stop) {
  for (let i = c; !stop(); i++) {
    const kind = KINDS.filter((k) => k.path === "/v1/classify" || k.path === "/v1/ner")[i % 2];
    const body = kind.bodies[i % kind.bodies.length];
    const sentAfterSigterm = afterSigterm();
    try {
      const response = await fetch(`${url}${kind.path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      if (response.status === 200) {
        const problem = kind.check(text);
        if (problem) side.problems.push(`${kind.name}: ${problem}`);
        else side.complete++;
      } else if (response.status === 503 && afterSigterm() && Number(response.headers.get("retry-after")) > 0) side.refused++;
      else side.problems.push(`${kind.name}: HTTP ${response.status} ${text.slice(0, 200)}`);
    } catch (error) {
      // A connection error is a clean refusal only once the server is shutting down; before, it is a lost request.
      // One sent just before SIGTERM can meet its keep-alive connection being closed as idle (the request not yet
      // read): counted apart.
      if (afterSigterm()) side[sentAfterSigterm ? "closed" : "closedAsSigtermCame"]++;
      else side.problems.push(`${kind.name}: ${String(error?.cause ?? error)}${sentAfterSigterm ? "" : " (sent before SIGTERM)"}`);
      await sleep(20);
    }
  }
}

function retryAfterOf(headers) {
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "retry-after");
  return entry && Number(entry[1]) > 0 ? entry[1] : undefined;
}

const statusSum = (statuses, test) =>
  Object.entries(statuses)
    .filter(([s]) => test(Number(s)))
    .reduce((n, [, c]) => n + c, 0);

/** Figures and checks of a run. */
function report({ options, machine, main, drained, healthAfter, shutdown }) {
  const kinds = [
    ...Object.entries(main.cannon).map(([name, k]) => ({ name, ...k })),
    { name: "completion (stream, read by fetch)", ...main.streams, errors: 0, timeouts: 0 },
  ];
  const latency = Object.fromEntries(
    kinds.map((k) => [
      k.name,
      { n: k.latencies.length, p50: percentile(k.latencies, 50), p95: percentile(k.latencies, 95), p99: percentile(k.latencies, 99) },
    ]),
  );
  const ttft = { n: main.streams.ttft.length, ...Object.fromEntries([50, 95, 99].map((p) => [`p${p}`, percentile(main.streams.ttft, p)])) };
  const responses = kinds.reduce((n, k) => n + statusSum(k.statuses, () => true), 0) + main.burst.requests;
  const refused = kinds.reduce((n, k) => n + statusSum(k.statuses, (s) => s === 429), 0) + main.burst.refused;
  const serverErrors =
    kinds.reduce((n, k) => n + statusSum(k.statuses, (s) => s >= 500), 0) + main.burst.other.filter((o) => o.startsWith("5")).length;
  const unexpected = kinds.flatMap((k) =>
    Object.entries(k.statuses)
      .filter(([s]) => !["200", "429", "0"].includes(s))
      .map(([s, c]) => `${k.name}: ${c} × HTTP ${s}`),
  );
  const problems = [...kinds.flatMap((k) => k.problems.map((p) => `${k.name}: ${p}`)), ...main.burst.other.map((o) => `burst: ${o}`)];
  const connectionErrors = kinds.reduce((n, k) => n + k.errors + k.timeouts, 0);
  const noRetryAfter = kinds.reduce((n, k) => n + k.noRetryAfter, 0) + (main.burst.refused - main.burst.refusedWithRetryAfter);
  const rss = rssGrowth(main.samples, options.warmupS);
  const healthFailures = main.health.filter((h) => h.status !== 200);
  const figures = {
    wallS: main.wallS,
    split: main.split,
    answered: main.answered,
    requestsPerSecond: main.answered / main.wallS,
    latency,
    ttft,
    responses,
    refused,
    refusedRate: refused / responses,
    streams: main.streams.outcomes,
    burst: main.burst,
    rss,
    health: {
      probes: main.health.length,
      failures: healthFailures.length,
      p99Ms: percentile(
        main.health.map((h) => h.ms),
        99,
      ),
    },
    samples: main.samples,
  };
  const check = (name, ok, detail) => ({ name, ok, detail });
  const checks = [
    check("no 5xx", serverErrors === 0, `${serverErrors} responses with 5xx`),
    check("only 200 and 429 answered", unexpected.length === 0, unexpected.join("; ") || "none other"),
    check(
      "every 200 complete (JSON parsed, SSE ended with [DONE])",
      problems.length === 0,
      problems.slice(0, 5).join("; ") || "all complete",
    ),
    check("no connection errors or timeouts", connectionErrors === 0, `${connectionErrors}`),
    check(
      "the burst above --max-queue was refused in part with 429",
      main.burst.refused > 0,
      JSON.stringify({ ...main.burst, other: undefined }),
    ),
    check("every 429 carried Retry-After", noRetryAfter === 0, `${noRetryAfter} without`),
    check("clients hung up mid-stream", (main.streams.outcomes["hung up"] ?? 0) > 0, JSON.stringify(main.streams.outcomes)),
    check("batch, queue and requests in flight back to 0", drained.idle, JSON.stringify(drained)),
    check(
      "/health answered during the run",
      healthFailures.length === 0 && main.health.length > 0,
      `${healthFailures.length} of ${main.health.length} failed`,
    ),
    check("/health answered after the run", healthAfter.status === 200, `HTTP ${healthAfter.status}`),
    check(
      "SIGTERM under load: requests in flight finished with 200 and complete bodies",
      shutdown.answered.complete === shutdown.requests && shutdown.unfinishedAtSigterm > 0,
      `${shutdown.answered.complete}/${shutdown.requests} complete, ${shutdown.unfinishedAtSigterm} unfinished at SIGTERM; ${shutdown.problems.join("; ")}`,
    ),
    check(
      "SIGTERM under load: task requests around it answered in full or refused cleanly (503 with Retry-After, or at the connection)",
      shutdown.side.problems.length === 0 && shutdown.side.complete > 0,
      `${JSON.stringify({ ...shutdown.side, problems: shutdown.side.problems.length })}; ${shutdown.side.problems.slice(0, 3).join("; ")}`,
    ),
    check("the server exited 0 after SIGTERM", shutdown.exit.code === 0, JSON.stringify(shutdown.exit)),
  ];
  return { options, machine, figures, drained, shutdown, checks, rssGrowthOk: rss.growth < 0.05 };
}

/**
 * RSS growth after warm-up, as `scripts/soak.mjs` measures it: the median of the last third of the samples after
 * warm-up over the median of their first third (medians, since single samples swing as the allocator returns and
 * retakes memory).
 */
export function rssGrowth(samples, warmupS) {
  const after = samples.filter((s) => s.t >= warmupS && Number.isFinite(s.rss));
  const window = Math.max(1, Math.floor(after.length / 3));
  const early = quantile(
    after.slice(0, window).map((s) => s.rss),
    0.5,
  );
  const late = quantile(
    after.slice(-window).map((s) => s.rss),
    0.5,
  );
  const all = samples.map((s) => s.rss).filter(Number.isFinite);
  return { early, late, growth: (late - early) / early, min: Math.min(...all), max: Math.max(...all) };
}
