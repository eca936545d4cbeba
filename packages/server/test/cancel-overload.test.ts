import { APIError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { family, post, type Running, scrape, start, until, IGNORE_EOS } from "./helpers.js";

let run: Running;
beforeAll(async () => {
  run = await start({ maxSequences: 4 });
});
afterAll(() => run?.server.close());

// About 4 s of decoding alone on the fixture: a cancelled one must leave long before.
const LONG = { model: "llama", prompt: "Hello", max_tokens: 1900, temperature: 0, ...IGNORE_EOS };

async function status499(r: Running): Promise<number> {
  const requests = family(await scrape(r.url), "proj_requests_total").metrics;
  return requests.filter((m) => m.labels?.status === "499").reduce((n, m) => n + Number(m.value), 0);
}

describe("a client that goes away", () => {
  it("mid-stream cancels its generation: its rows leave the batch and the others finish unchanged", async () => {
    const alone = await run.client.completions.create({ model: "llama", prompt: "Why", max_tokens: 40, temperature: 0, ...IGNORE_EOS });
    const controller = new AbortController();
    const stream = await run.client.completions.create({ ...LONG, stream: true }, { signal: controller.signal });
    const other = run.client.completions.create({ model: "llama", prompt: "Why", max_tokens: 40, temperature: 0, ...IGNORE_EOS });
    let chunks = 0;
    try {
      for await (const _ of stream) if (++chunks === 5) controller.abort();
    } catch {
      // the client reports the abort as an error or as the end of the stream, depending on timing
    }
    expect(chunks).toBe(5);
    // The generation settles long before its 1900 tokens: the batcher dropped it at a step boundary.
    const ms = await until(() => run.server.metrics.sequencesInFlight <= 1, 5_000, "the cancelled sequence to leave the batch");
    expect(ms).toBeLessThan(1_000);
    expect((await other).choices[0]?.text).toBe(alone.choices[0]?.text);
    await until(() => run.server.metrics.sequencesInFlight === 0, 3_000, "nothing in flight");
    await until(async () => (await status499(run)) >= 1, 3_000, "the 499 to be counted");
  });

  it("before a whole answer is sent cancels it too", async () => {
    const before = await status499(run);
    const controller = new AbortController();
    const pending = fetch(`${run.url}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(LONG),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await until(() => run.server.metrics.sequencesInFlight === 1, 3_000, "the request to start");
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    const ms = await until(() => run.server.metrics.sequencesInFlight === 0, 5_000, "the cancelled sequence to leave");
    expect(ms).toBeLessThan(1_000);
    await until(async () => (await status499(run)) === before + 1, 3_000, "the 499 to be counted");
  });
});

describe("an over-full queue", () => {
  it("answers 429 with Retry-After, to whole and streamed requests, and serves the rest", async () => {
    const small = await start({ maxSequences: 1, maxQueue: 1 });
    try {
      const body = { model: "llama", prompt: "Hello", max_tokens: 60, temperature: 0, ...IGNORE_EOS };
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          small.client.completions.create({ ...body, stream: i % 2 === 1 }).then(
            async (r) => {
              if ("choices" in r) return 200;
              for await (const _ of r);
              return 200;
            },
            (e: unknown) => e,
          ),
        ),
      );
      const refused = outcomes.filter((o): o is APIError => o instanceof APIError);
      expect(outcomes.filter((o) => o === 200).length).toBeGreaterThanOrEqual(2);
      expect(refused.length).toBeGreaterThan(0);
      for (const error of refused) {
        expect(error.status).toBe(429);
        expect(Number(error.headers?.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(error.type).toBe("overloaded_error");
      }
      const raw = await Promise.all(Array.from({ length: 4 }, () => post(`${small.url}/v1/completions`, body)));
      expect(raw.some((r) => r.status === 429 && r.headers.get("retry-after") !== null && r.json.error?.code === "queue_full")).toBe(true);
      expect((await fetch(`${small.url}/health`)).status).toBe(200);
    } finally {
      await small.server.close();
    }
  });
});
