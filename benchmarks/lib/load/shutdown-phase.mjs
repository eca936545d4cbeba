/**
 * Graceful shutdown under load: SIGTERM to `proj serve` with generations in flight and task requests arriving.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { KINDS, longStreamBody } from "./mix.mjs";
import { probe } from "./server-state.mjs";
import { streamCompletion } from "./stream-client.mjs";

/**
 * Graceful shutdown under load: `n` long generations (half streamed) in flight, then SIGTERM. Each must finish with
 * 200 and a complete body, and the process exit 0.
 */
export async function shutdownUnderLoad(server, n) {
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
