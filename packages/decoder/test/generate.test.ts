import { fixture, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortError, InputError } from "@proj/core";
import { createGenerator, generate, type LocalGenerator, stream } from "../src/index.js";

let gpt2: LocalGenerator;
let llama: LocalGenerator;
beforeAll(async () => {
  gpt2 = await createGenerator(fixture("gpt2"), { load: { threads: 1 } });
  llama = await createGenerator(fixture("llama"), { load: { threads: 1 } });
});
afterAll(async () => {
  await gpt2.dispose();
  await llama.dispose();
});

const prompts = ["The quick brown fox", "Hello", "Once upon a time there was a little robot who"];

describe("greedy generation matches transformers.js", () => {
  for (const name of ["gpt2", "llama"] as const) {
    it(`${name}: the text-generation pipeline's text, for single prompts and a batch`, async () => {
      const generator = name === "gpt2" ? gpt2 : llama;
      const oracle = await loadOracle();
      const pipe = await oracle.pipeline("text-generation", fixture(name), { dtype: "fp32" });
      const batch = await generator.generate(prompts, { maxNewTokens: 12 });
      for (let i = 0; i < prompts.length; i++) {
        const prompt = prompts[i] as string;
        const [want] = (await pipe(prompt, { max_new_tokens: 12, do_sample: false, return_full_text: false })) as Array<{
          generated_text: string;
        }>;
        const single = await generator.generate(prompt, { maxNewTokens: 12 });
        expect(single.text).toBe(want?.generated_text);
        expect(batch[i]?.text).toBe(single.text);
        expect(batch[i]?.tokenIds).toEqual(single.tokenIds);
      }
      await pipe.dispose();
    });
  }
});

describe("results, metrics and one-shot calls", () => {
  it("reports finish reason, token ids and metrics", async () => {
    const result = await gpt2.generate("The quick brown fox", { maxNewTokens: 10, eosTokenId: [] });
    expect(result.finishReason).toBe("length");
    expect(result.tokenIds).toHaveLength(10);
    expect(result.text).toBe(await gpt2.model.tokenizer.decode(result.tokenIds));
    const m = result.metrics;
    expect(m.promptTokens).toBe(4);
    expect(m.generatedTokens).toBe(10);
    expect(m.ttftMs).toBeGreaterThan(0);
    expect(m.ttftMs).toBeLessThanOrEqual(m.totalMs);
    expect(m.tpot?.p50).toBeGreaterThan(0);
    expect(m.tpot?.p95).toBeGreaterThanOrEqual(m.tpot?.p50 ?? Number.NaN);
    expect(m.tokensPerSecond).toBeGreaterThan(0);
    expect(m.queueMs).toBeGreaterThanOrEqual(0);
    expect(m.tokenizeMs + m.queueMs + m.prefillMs + m.decodeMs).toBeCloseTo(m.totalMs, 0);
  });

  it("one-shot generate() with a folder reuses a cached handle and equals the handle's result", async () => {
    const a = await generate("Hello", { model: fixture("gpt2"), maxNewTokens: 8 });
    const b = await generate(["Hello"], { model: fixture("gpt2"), maxNewTokens: 8 });
    expect(b[0]?.tokenIds).toEqual(a.tokenIds);
    expect(a.tokenIds).toEqual((await gpt2.generate("Hello", { maxNewTokens: 8 })).tokenIds);
  });

  it("numBeams: 1 equals greedy, and beam search returns numReturnSequences ranked hypotheses", async () => {
    const greedy = await llama.generate("Hello there", { maxNewTokens: 8 });
    const oneBeam = await llama.generate("Hello there", { maxNewTokens: 8, numBeams: 1 });
    expect(oneBeam.tokenIds).toEqual(greedy.tokenIds);
    const beams = await llama.generate("Hello there", { maxNewTokens: 8, numBeams: 4, numReturnSequences: 3 });
    expect(beams.sequences).toHaveLength(3);
    const scores = beams.sequences.map((s) => s.score as number);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
  });
});

describe("sampling", () => {
  it("the same seed gives the same text; different seeds differ", async () => {
    const options = { maxNewTokens: 20, doSample: true, temperature: 1.5, topP: 0.95, eosTokenId: [] as number[] };
    const a = await gpt2.generate("Once upon a time", { ...options, seed: 7 });
    const b = await gpt2.generate("Once upon a time", { ...options, seed: 7 });
    const c = await gpt2.generate("Once upon a time", { ...options, seed: 8 });
    expect(a.tokenIds).toEqual(b.tokenIds);
    expect(c.tokenIds).not.toEqual(a.tokenIds);
  });

  it("numReturnSequences draws several different samples from one prefill", async () => {
    const r = await gpt2.generate("Hello", {
      maxNewTokens: 10,
      doSample: true,
      temperature: 2,
      numReturnSequences: 4,
      seed: 3,
      eosTokenId: [],
    });
    expect(r.sequences).toHaveLength(4);
    expect(new Set(r.sequences.map((s) => s.tokenIds.join(","))).size).toBeGreaterThan(1);
  });

  it("presence and frequency penalties lower repetition of generated tokens", async () => {
    const base = { maxNewTokens: 40, eosTokenId: [] as number[] };
    const plain = await gpt2.generate("the the the", base);
    const penalised = await gpt2.generate("the the the", { ...base, presencePenalty: 2, frequencyPenalty: 2 });
    const distinct = (ids: number[]): number => new Set(ids).size;
    expect(distinct(penalised.tokenIds)).toBeGreaterThan(distinct(plain.tokenIds));
  });
});

describe("stopping", () => {
  it("a stop string ends generation, is cut from the text, even across tokens", async () => {
    const full = await gpt2.generate("Hello", { maxNewTokens: 20, eosTokenId: [] });
    // Pick a stop string spanning the boundary between two generated tokens.
    const t = gpt2.model.tokenizer;
    const first = await t.decode(full.tokenIds.slice(0, 3));
    const firstTwo = await t.decode(full.tokenIds.slice(0, 2));
    const stop = first.slice(Math.max(firstTwo.length - 2, 0), firstTwo.length + 2);
    expect(stop.length).toBeGreaterThan(1);
    const cut = await gpt2.generate("Hello", { maxNewTokens: 20, eosTokenId: [], stop: [stop] });
    expect(cut.finishReason).toBe("stop");
    expect(cut.text).toBe(full.text.slice(0, full.text.indexOf(stop)));
    expect(cut.text).not.toContain(stop);
  });

  it("an AbortSignal ends generation with finish reason abort; an aborted signal up front throws AbortError", async () => {
    const controller = new AbortController();
    let seen = 0;
    const result = await gpt2.generate("Hello", {
      maxNewTokens: 200,
      eosTokenId: [],
      signal: controller.signal,
      onToken: () => {
        if (++seen === 5) controller.abort();
      },
    });
    expect(result.finishReason).toBe("abort");
    expect(result.tokenIds.length).toBeGreaterThanOrEqual(5);
    expect(result.tokenIds.length).toBeLessThan(200);
    await expect(gpt2.generate("Hello", { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    // The handle still works afterwards.
    expect((await gpt2.generate("Hello", { maxNewTokens: 3, eosTokenId: [] })).tokenIds).toHaveLength(3);
  });
});

describe("streaming", () => {
  it("deltas concatenate to the final text, including multi-byte characters", async () => {
    for (const prompt of ["Émojis 😀 and", "日本語", "Hello"]) {
      const s = gpt2.stream(prompt, { maxNewTokens: 30, doSample: true, temperature: 3, seed: 11, eosTokenId: [] });
      let joined = "";
      let chunks = 0;
      for await (const chunk of s) {
        expect(chunk.text).not.toContain("\uFFFD");
        joined += chunk.text;
        chunks++;
      }
      const result = await s.result;
      expect(chunks).toBe(30);
      expect(joined).toBe(result.text);
    }
  });

  it("one-shot stream() yields the same text as generate()", async () => {
    const s = stream("Hello", { model: fixture("gpt2"), maxNewTokens: 10 });
    let joined = "";
    for await (const { text } of s) joined += text;
    expect(joined).toBe((await gpt2.generate("Hello", { maxNewTokens: 10 })).text);
  });
});

describe("bad input gets typed errors", () => {
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ["empty prompt", () => gpt2.generate(""), /empty/],
    ["non-string prompt", () => gpt2.generate(42 as unknown as string), /string/],
    ["empty array", () => gpt2.generate([]), /at least one prompt/],
    ["negative maxNewTokens", () => gpt2.generate("a", { maxNewTokens: -1 }), /maxNewTokens/],
    ["absurd maxNewTokens", () => gpt2.generate("a", { maxNewTokens: 1e12 }), /maxNewTokens/],
    ["topP of 0", () => gpt2.generate("a", { topP: 0 }), /topP/],
    ["topP above 1", () => gpt2.generate("a", { topP: 1.5 }), /topP/],
    ["negative temperature", () => gpt2.generate("a", { temperature: -1 }), /temperature/],
    ["presence penalty out of range", () => gpt2.generate("a", { presencePenalty: 3 }), /presencePenalty/],
    ["eos id outside the vocabulary", () => gpt2.generate("a", { eosTokenId: 10_000_000 }), /vocabulary/],
    ["prompt longer than the context", () => gpt2.generate("word ".repeat(1100), { maxNewTokens: 10 }), /context of 1024/],
  ];
  for (const [name, run, message] of cases) {
    it(name, async () => {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(message);
    });
  }

  it("a long prompt with truncatePrompt: left keeps the newest tokens", async () => {
    const r = await gpt2.generate("word ".repeat(1100), { maxNewTokens: 4, truncatePrompt: "left", eosTokenId: [] });
    expect(r.metrics.promptTokens).toBe(1020);
    expect(r.tokenIds).toHaveLength(4);
  });

  it("a model of the wrong family says which package to use", async () => {
    const error = await generate("Hello", { model: fixture("bert-seq-cls") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/encoder-only model/);
    expect((error as InputError).hint).toMatch(/@proj\/encoder/);
  });
});
