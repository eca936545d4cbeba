import { AbortError, DisposedError } from "@proj/core";
import { openSessionCount } from "@proj/core/internal";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSummarizer, createTranslator, disposeCachedHandles, type Summarizer, type Translator, translate } from "../../src/index.js";

/**
 * Translation and summarization under concurrency and cancellation: 64 concurrent calls on one handle equal the same
 * calls made one by one; concurrent first use loads a model once; a signal fired before, during greedy decoding or
 * beam search, or during a stream ends the call with finish reason "abort" or an AbortError, and the handle then
 * answers as before; a disposed handle throws DisposedError.
 */

let translator: Translator;
let summarizer: Summarizer;
beforeAll(async () => {
  vi.stubEnv("HF_HUB_OFFLINE", "1");
  [translator, summarizer] = await Promise.all([
    createTranslator(fixture("t5"), { load: { threads: 1 } }),
    createSummarizer(fixture("bart"), { load: { threads: 1 } }),
  ]);
});
afterAll(async () => {
  await Promise.all([translator?.dispose(), summarizer?.dispose()]);
  await disposeCachedHandles();
});

const TEXTS = [
  "Hello there.",
  "A dog runs through the grass.",
  "Ada Lovelace 😀 wrote the first program.",
  "Why?",
  "The weather is nice today and tomorrow.",
];

describe("64 concurrent calls on one handle equal the same calls made one by one", () => {
  it("translation (greedy, beams, sampling with seeds, several targets) and summarization, mixed", async () => {
    const calls = Array.from({ length: 64 }, (_, i) => {
      const text = TEXTS[i % TEXTS.length] as string;
      const pick = (r: { text: string; tokenIds: number[]; finishReason: string }) => ({
        text: r.text,
        tokenIds: r.tokenIds,
        finishReason: r.finishReason,
      });
      if (i % 4 === 3)
        return async () => pick(await summarizer.summarize(text.repeat(1 + (i % 3)), { maxNewTokens: 6, numBeams: 1 + (i % 2) }));
      const options = [
        { to: "de", maxNewTokens: 6 },
        { to: "fr", maxNewTokens: 6, numBeams: 3 },
        { to: "ro", maxNewTokens: 6, doSample: true, seed: i, numBeams: 1 },
      ][i % 4] as Parameters<Translator["translate"]>[1];
      return async () => pick(await translator.translate(text, options));
    });
    const sequential = [];
    for (const c of calls) sequential.push(await c());
    const concurrent = await Promise.all(calls.map((c) => c()));
    expect(concurrent).toEqual(sequential);
  });

  it("concurrent first use of a model through translate() loads it once", async () => {
    const before = openSessionCount();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        translate("Hello", { model: fixture("t5"), load: { threads: 1, graphOptimization: "basic" }, to: "de", maxNewTokens: 3 }),
      ),
    );
    expect(openSessionCount()).toBe(before + 2); // encoder_model and decoder_model_merged
    for (const r of results) expect(r.tokenIds).toEqual(results[0]?.tokenIds);
    await disposeCachedHandles();
    expect(openSessionCount()).toBe(before);
  });
});

describe("cancellation", () => {
  const many = Array.from({ length: 24 }, (_, i) => `Sentence number ${i} is here.`);
  let reference: string;
  beforeAll(async () => {
    reference = (await translator.translate("Hello there.", { to: "de", maxNewTokens: 6 })).text;
  });
  const stillFine = async () => expect((await translator.translate("Hello there.", { to: "de", maxNewTokens: 6 })).text).toBe(reference);
  const aborted = (outcome: unknown) => {
    // Greedy decoding ends rows with finish reason "abort"; beam search and the encoder pass end with AbortError.
    if (outcome instanceof Error) expect(outcome).toBeInstanceOf(AbortError);
    else for (const r of outcome as Array<{ finishReason: string }>) expect(r.finishReason).toBe("abort");
  };

  it("before the call, and before a one-shot load: AbortError, nothing loaded", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(translator.translate("Hello", { to: "de", signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    await expect(summarizer.summarize("Hello", { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    const before = openSessionCount();
    await expect(
      translate("Hello", { model: fixture("t5"), load: { threads: 2 }, to: "de", signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(openSessionCount()).toBe(before);
  });

  for (const numBeams of [1, 4]) {
    it(`mid-decode (numBeams ${numBeams}): every text ends within a step of the abort`, async () => {
      const controller = new AbortController();
      let tokens = 0;
      const call = translator.translate(many, {
        to: "de",
        maxNewTokens: 200,
        eosTokenId: [],
        numBeams,
        batchSize: 24,
        signal: controller.signal,
        onToken: () => {
          tokens += 1;
          if (tokens === 24 * 3) controller.abort();
        },
      });
      if (numBeams > 1) setTimeout(() => controller.abort(), 40); // beam search reports no tokens
      const outcome: Array<{ tokenIds: number[] }> | unknown = await call.then(
        (r) => r,
        (e: unknown) => e,
      );
      aborted(outcome);
      if (!(outcome instanceof Error))
        for (const r of outcome as Array<{ tokenIds: number[] }>) expect(r.tokenIds.length).toBeLessThanOrEqual(5);
      await stillFine();
    });
  }

  it("summarize by chunks, and a streamed translation, stop on abort", async () => {
    const controller = new AbortController();
    const call = summarizer.summarize("A sentence about nothing at all. ".repeat(800), { maxNewTokens: 40, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    aborted(
      await call.then(
        (r) => [r],
        (e: unknown) => e,
      ),
    );

    const streaming = new AbortController();
    const s = translator.stream("Hello there my friend.", {
      to: "de",
      maxNewTokens: 200,
      eosTokenId: [],
      numBeams: 1,
      signal: streaming.signal,
    });
    let chunks = 0;
    for await (const _ of s) if (++chunks === 3) streaming.abort();
    expect((await s.result).finishReason).toBe("abort");
    expect(chunks).toBeLessThanOrEqual(5);
    await stillFine();
  });

  it("maxTime ends with finish reason length", async () => {
    const result = await translator.translate("Hello there.", { to: "de", maxNewTokens: 400, eosTokenId: [], maxTime: 100, numBeams: 1 });
    expect(result.finishReason).toBe("length");
    expect(result.tokenIds.length).toBeLessThan(400);
  });

  it("a disposed handle throws DisposedError, also for a stream", async () => {
    const handle = await createTranslator(fixture("t5"), { load: { threads: 1, graphOptimization: "basic" } });
    await handle.dispose();
    await expect(handle.translate("Hello", { to: "de" })).rejects.toBeInstanceOf(DisposedError);
    await expect(handle.stream("Hello", { to: "de" }).result).rejects.toBeInstanceOf(DisposedError);
    expect(handle.disposed).toBe(true);
  });
});
