/**
 * The figures and checks of a load run, from what the clients saw (see run-load.mjs).
 */
import { percentile, quantile } from "../stats.mjs";

const statusSum = (statuses, test) =>
  Object.entries(statuses)
    .filter(([s]) => test(Number(s)))
    .reduce((n, [, c]) => n + c, 0);

/** Figures and checks of a run. */
export function loadReport({ options, machine, main, drained, healthAfter, shutdown }) {
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
