/**
 * One streamed completion read the way a client reads it (fetch, server-sent events): what autocannon cannot do,
 * time to the first token and hanging up mid-stream.
 */
import { sseProblem } from "./mix.mjs";

/**
 * Sends a streamed completion and reads it to its end, or hangs up after `hangUpAfter` token chunks.
 * @param {string} url - the server's base URL
 * @param {object} body - a `/v1/completions` body with `stream: true`
 * @param {{ hangUpAfter?: number, timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number, outcome: "complete" | "hung up" | "refused" | "incomplete", problem?: string, retryAfter?: string | null, ttftMs?: number, ms: number }>}
 */
export async function streamCompletion(url, body, { hangUpAfter, timeoutMs = 120_000 } = {}) {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no end of stream within ${timeoutMs} ms`)), timeoutMs);
  try {
    const response = await fetch(`${url}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (response.status !== 200) {
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status === 429) return { status: 429, outcome: "refused", retryAfter: response.headers.get("retry-after"), ms };
      return { status: response.status, outcome: "incomplete", problem: text.slice(0, 300), ms };
    }
    const decoder = new TextDecoder();
    let text = "";
    let ttftMs;
    let tokens = 0;
    for await (const chunk of response.body) {
      text += decoder.decode(chunk, { stream: true });
      const events = text.split("\n\n").length - 1;
      if (events > tokens) {
        tokens = events;
        ttftMs ??= performance.now() - started;
      }
      if (hangUpAfter !== undefined && tokens >= hangUpAfter) break;
    }
    if (hangUpAfter !== undefined && tokens >= hangUpAfter) {
      // Leaving the loop cancelled the body; the abort closes the connection too.
      controller.abort(new Error("hung up"));
      return { status: 200, outcome: "hung up", ttftMs, ms: performance.now() - started };
    }
    text += decoder.decode();
    const problem = sseProblem(text);
    return {
      status: 200,
      outcome: problem ? "incomplete" : "complete",
      ...(problem ? { problem } : {}),
      ttftMs,
      ms: performance.now() - started,
    };
  } catch (error) {
    return { status: 0, outcome: "incomplete", problem: String(error?.cause ?? error), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
