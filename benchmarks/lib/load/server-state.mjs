/**
 * What the server says about its own state: `/health`, and `/metrics` once the load is over (nothing in flight,
 * running or queued).
 */
import { setTimeout as sleep } from "node:timers/promises";

/** GET /health with a 10 s limit. */
export async function probe(url) {
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
export async function drain(url) {
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
