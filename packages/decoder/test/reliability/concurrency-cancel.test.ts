import { AbortError, DisposedError } from "@proj/core";
import { openSessionCount } from "@proj/core/internal";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createGenerator,
  disposeCachedHandles,
  type GenerationResult,
  type LocalGenerator,
  type GeneratorCallOptions,
  generate,
} from "../../src/index.js";
import { rssMb, signalFiringAtCheck } from "./support.js";

/**
 * Generation under concurrency, cancellation, time limits and long runs: 64 concurrent calls on one handle equal
 * the same calls made one by one; a signal fired at any moment ends the call promptly (counted in tokens, not
 * milliseconds) with finish reason "abort" or an AbortError, the batcher frees its rows and the next call answers
 * as before; maxTime ends with "length"; 50 generations keep memory flat; dispose() rejects the calls in flight.
 * Moments are counted in tokens or in the call's own checks of its signal, never in milliseconds, so a loaded machine
 * cannot change what is tested.
 */

const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

let generator: LocalGenerator;
beforeAll(async () => {
  vi.stubEnv("HF_HUB_OFFLINE", "1");
  generator = await createGenerator(fixture("llama"), { load: { threads: 1 }, batching: { maxSequences: 16 } });
});
afterAll(async () => {
  await generator?.dispose();
  await disposeCachedHandles();
});

const PROMPTS = ["Hello", "The cat sat on the", "Once upon a time in a land far away", "Why", "😀 emoji and ünïcödé"];
const idle = { running: 0, queued: 0 };

/** One of 64 varied calls: greedy, sampling with a seed, penalties and stop strings, streaming, chat, beams. */
function call(i: number): () => Promise<Pick<GenerationResult, "text" | "tokenIds" | "finishReason">> {
  const prompt = PROMPTS[i % PROMPTS.length] as string;
  const options: GeneratorCallOptions = [
    { maxNewTokens: 4 + (i % 9), eosTokenId: [] },
    { maxNewTokens: 8, doSample: true, temperature: 1.2, topP: 0.9, seed: i, eosTokenId: [] },
    { maxNewTokens: 10, repetitionPenalty: 1.3, presencePenalty: 0.4, stop: ["e"], eosTokenId: [] },
    { maxNewTokens: 6, numReturnSequences: 2, doSample: true, seed: 100 + i, eosTokenId: [] },
  ][i % 4] as GeneratorCallOptions;
  const pick = (r: GenerationResult) => ({
    text: r.text,
    tokenIds: r.tokenIds,
    finishReason: r.finishReason,
    all: r.sequences.map((s) => s.tokenIds),
  });
  if (i % 16 === 5) return async () => pick(await generator.generate(prompt, { maxNewTokens: 5, numBeams: 3, eosTokenId: [] }));
  if (i % 8 === 3) return async () => pick(await generator.chat([{ role: "user", content: prompt }], { ...options, chatTemplate: CHATML }));
  if (i % 8 === 7 || i % 16 === 13) {
    return async () => {
      // Streams of several sequences (i % 8 === 7) or of a beam search (i % 16 === 13): the deltas are the result's text.
      const s = generator.stream(prompt, i % 16 === 13 ? { maxNewTokens: 5, numBeams: 3, eosTokenId: [] } : options);
      let text = "";
      for await (const chunk of s) text += chunk.text;
      const result = await s.result;
      expect(text).toBe(result.text);
      return pick(result);
    };
  }
  return async () => pick(await generator.generate(prompt, options));
}

describe("64 concurrent calls on one generator", () => {
  it("give exactly the results of the same calls made one by one (greedy, sampling, stops, streams, chat, beams)", async () => {
    const calls = Array.from({ length: 64 }, (_, i) => call(i));
    const sequential: Array<Awaited<ReturnType<(typeof calls)[number]>>> = [];
    for (const c of calls) sequential.push(await c());
    const concurrent = await Promise.all(calls.map((c) => c()));
    // Rows decoded in different batch compositions see logits that can differ in the last float bits (other padding,
    // other GEMM blocking). Greedy, beam and chat calls must match exactly; a sampled draw that lands within that
    // rounding of a cumulative-probability boundary may flip, so sampled calls must match in at least 90% of cases.
    const sampled = (i: number): boolean => i % 4 === 1 || i % 4 === 3;
    let sampledMatches = 0;
    let sampledCount = 0;
    concurrent.forEach((result, i) => {
      const exact = sampled(i) && !(i % 16 === 5 || i % 16 === 13) ? undefined : true;
      if (exact) expect(result).toEqual(sequential[i]);
      else {
        sampledCount++;
        if (JSON.stringify(result) === JSON.stringify(sequential[i])) sampledMatches++;
        expect(result.finishReason).toBe(sequential[i]?.finishReason);
      }
    });
    expect(sampledMatches / sampledCount).toBeGreaterThanOrEqual(0.9);
    expect(generator.batchStats()).toEqual(idle);
  });

  it("concurrent first use of a model through generate() loads it once", async () => {
    const before = openSessionCount();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => generate("Hello", { model: fixture("gpt2"), load: { threads: 1 }, maxNewTokens: 3 })),
    );
    expect(openSessionCount()).toBe(before + 1);
    for (const r of results) expect(r.tokenIds).toEqual(results[0]?.tokenIds);
    await disposeCachedHandles();
    expect(openSessionCount()).toBe(before);
  });
});

describe("cancellation at any moment", () => {
  const long = { maxNewTokens: 200, eosTokenId: [] as number[] };
  let reference: GenerationResult;
  beforeAll(async () => {
    reference = await generator.generate("Hello", { maxNewTokens: 6, eosTokenId: [] });
  });
  async function expectHandleFine(): Promise<void> {
    expect(generator.batchStats()).toEqual(idle);
    expect((await generator.generate("Hello", { maxNewTokens: 6, eosTokenId: [] })).tokenIds).toEqual(reference.tokenIds);
  }

  it("before the call (and before a one-shot load): AbortError at once, nothing loaded", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(generator.generate("Hello", { ...long, signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    const before = openSessionCount();
    await expect(generate("Hello", { model: fixture("gpt2"), signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(openSessionCount()).toBe(before);
    await expectHandleFine();
  });

  it("during prefill: the call ends with finish reason abort and no tokens", async () => {
    const controller = new AbortController();
    const pending = generator.generate("Once upon a time in a land far away", { ...long, signal: controller.signal });
    queueMicrotask(() => controller.abort());
    const result = await pending;
    expect(result.finishReason).toBe("abort");
    expect(result.tokenIds.length).toBeLessThanOrEqual(1);
    await expectHandleFine();
  });

  it("mid-decode, at the k-th token: the call ends within a step, its rows leave the batch", async () => {
    for (const k of [1, 2, 7]) {
      const controller = new AbortController();
      let seen = 0;
      const neighbour = generator.generate("Why", { maxNewTokens: 30, eosTokenId: [] });
      const result = await generator.generate("Hello", {
        ...long,
        signal: controller.signal,
        onToken: () => {
          seen += 1;
          if (seen === k) controller.abort();
        },
      });
      expect(result.finishReason).toBe("abort");
      expect(result.tokenIds.length).toBeLessThanOrEqual(k + 1);
      expect((await neighbour).tokenIds).toHaveLength(30); // the neighbour in the batch is unaffected
      await expectHandleFine();
    }
  });

  it("mid-beam-search: the search ends with finish reason abort within a step, long before its length limit", async () => {
    // Each step checks the signal about three times (the search, then its forward pass before and after running):
    // the signal fires around the 10th step.
    const at = 30;
    const { signal, checks } = signalFiringAtCheck(at);
    const result = await generator.generate("Hello", { maxNewTokens: 400, numBeams: 4, eosTokenId: [], signal });
    expect(result.finishReason).toBe("abort");
    expect(result.tokenIds.length).toBeLessThan(20);
    expect(checks(), "no further step after the one under way").toBeLessThanOrEqual(at + 3);
    await expectHandleFine();
  });

  it("during a streamed response: the stream ends after the abort and the result says abort", async () => {
    const controller = new AbortController();
    const s = generator.stream("Hello", { ...long, signal: controller.signal });
    let chunks = 0;
    for await (const _ of s) {
      chunks += 1;
      if (chunks === 3) controller.abort();
    }
    const result = await s.result;
    expect(result.finishReason).toBe("abort");
    expect(chunks).toBeLessThanOrEqual(5);
    await expectHandleFine();
  });

  it("while queued behind a full batch: the call ends within a step, not when a slot frees", async () => {
    const narrow = await createGenerator(fixture("llama"), { load: { threads: 1 }, batching: { maxSequences: 1 } });
    let headTokens = 0;
    let headRunning!: () => void;
    const twoHeadTokens = new Promise<void>((resolve) => (headRunning = resolve));
    const controller = new AbortController();
    const running = new AbortController();
    // The head runs far longer than the test: were the queued call only released when a slot frees, it would
    // resolve after 2,000 head tokens, not within a few steps of the abort (however loaded the machine is).
    const head = narrow.generate("Hello", {
      maxNewTokens: 2000,
      eosTokenId: [],
      signal: running.signal,
      onToken: () => {
        headTokens += 1;
        if (headTokens === 2) headRunning();
      },
    });
    // The head holds the only slot before the others are called (tokenization order would otherwise decide which
    // call gets the slot first).
    await twoHeadTokens;
    const blocked = narrow.generate("Why", { maxNewTokens: 60, eosTokenId: [], signal: running.signal });
    const queued = narrow.generate("Once", { maxNewTokens: 5, eosTokenId: [], signal: controller.signal });
    const atAbort = headTokens;
    controller.abort();
    const result = await queued;
    expect(result.finishReason).toBe("abort");
    expect(result.tokenIds).toEqual([]);
    expect(headTokens - atAbort).toBeLessThan(30);
    expect(headTokens).toBeLessThan(2000);
    running.abort();
    const [h, b] = await Promise.all([head, blocked]);
    expect(h.finishReason).toBe("abort");
    expect(b.finishReason).toBe("abort");
    expect(narrow.batchStats()).toEqual(idle);
    await narrow.dispose();
  });

  it("maxTime ends with finish reason length, greedy and beam search", async () => {
    for (const numBeams of [1, 3]) {
      const result = await generator.generate("Hello", { maxNewTokens: 2000 - 8, eosTokenId: [], maxTime: 150, numBeams });
      expect(result.finishReason).toBe("length");
      expect(result.tokenIds.length).toBeLessThan(1992);
    }
    await expectHandleFine();
  });
});

describe("soak (short) and dispose", () => {
  it("50 generations on one handle: RSS after warm-up stays flat", async () => {
    const samples: number[] = [];
    for (let i = 0; i < 50; i++) {
      await Promise.all([generator.generate(PROMPTS[i % 5] as string, { maxNewTokens: 24, eosTokenId: [], doSample: true, seed: i })]);
      if (i % 5 === 4) samples.push(rssMb());
    }
    const warm = samples[1] as number;
    const growth = Math.max(...samples.slice(2)) - warm;
    expect(growth, `RSS samples ${samples.map((s) => s.toFixed(0)).join(", ")} MiB`).toBeLessThan(Math.max(24, warm * 0.1));
    expect(generator.batchStats()).toEqual(idle);
  });

  it("disposing with calls in flight rejects them with DisposedError; later calls throw DisposedError", async () => {
    const handle = await createGenerator(fixture("gpt2"), { load: { threads: 1, graphOptimization: "basic" } });
    const before = openSessionCount();
    let decoding!: () => void;
    const firstToken = new Promise<void>((resolve) => (decoding = resolve));
    // 300 tokens each: none can be done when the first call has its first token.
    const inFlight = Array.from({ length: 4 }, (_, i) =>
      handle.generate("Hello", { maxNewTokens: 300, eosTokenId: [], ...(i === 0 ? { onToken: () => decoding() } : {}) }),
    );
    await firstToken;
    await handle.dispose();
    const settled = await Promise.allSettled(inFlight);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    for (const outcome of settled) expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(DisposedError);
    await expect(handle.generate("Hi")).rejects.toBeInstanceOf(DisposedError);
    expect(() => handle.stream("Hi")).toThrow(DisposedError);
    await expect(handle.chat([{ role: "user", content: "Hi" }], { chatTemplate: CHATML })).rejects.toBeInstanceOf(DisposedError);
    expect(openSessionCount()).toBe(before - 1);
  });
});
