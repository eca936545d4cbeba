import { describe, expect, it } from "vitest";
import { IGNORE_EOS, start, until } from "./helpers.js";

describe("graceful shutdown", () => {
  it("stops accepting, drains the requests in flight to their end, then resolves", async () => {
    const run = await start();
    const whole = run.client.completions.create({ model: "llama", prompt: "Hello", max_tokens: 300, temperature: 0, ...IGNORE_EOS });
    const stream = await run.client.completions.create({
      model: "llama",
      prompt: "Why",
      max_tokens: 300,
      temperature: 0,
      ...IGNORE_EOS,
      stream: true,
    });
    const streamed = (async () => {
      let text = "";
      let finish: string | null = null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.text ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      return { text, finish };
    })();
    await until(() => run.server.metrics.sequencesInFlight === 2, 5_000, "both requests to be decoding");
    let closed = false;
    const closing = run.server.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    const late = await fetch(`${run.url}/health`).then(
      (r) => r.status,
      () => "refused",
    );
    expect(["refused", 503]).toContain(late);
    expect(closed).toBe(false);

    const answer = await whole;
    expect(answer.choices[0]?.finish_reason).toBe("length");
    expect(answer.usage?.completion_tokens).toBe(300);
    const s = await streamed;
    expect(s.finish).toBe("length");
    await closing;
    expect(run.server.generator?.disposed).toBe(true);
  });

  it("past its deadline cancels what is still running, and still resolves", async () => {
    const run = await start({ shutdownTimeoutMs: 100 });
    const pending = run.client.completions
      .create({ model: "llama", prompt: "Hello", max_tokens: 1900, temperature: 0, ...IGNORE_EOS })
      .catch((e: unknown) => e);
    await until(() => run.server.metrics.sequencesInFlight === 1, 5_000, "the request to be decoding");
    const started = performance.now();
    await run.server.close();
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(95); // it waited for the deadline
    expect(took).toBeLessThan(3_000); // then cancelled instead of decoding 1900 tokens
    expect(await pending).toMatchObject({ status: 503, code: "shutting_down" });
  });
});
