import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OverloadedError } from "@proj/core";
import { createGenerator, type GenerationResult, type LocalGenerator, type GeneratorCallOptions } from "../src/index.js";

const sizes: number[] = [];
let generator: LocalGenerator;
beforeAll(async () => {
  generator = await createGenerator(fixture("llama"), {
    load: { threads: 1 },
    batching: { maxSequences: 16, onStep: (n) => sizes.push(n) },
  });
});
afterAll(() => generator.dispose());

const requests: Array<[string, GeneratorCallOptions]> = Array.from({ length: 24 }, (_, i) => [
  ["Hello", "The cat sat on the", "Once upon a time in a land far away", "Why"][i % 4] as string,
  i % 3 === 0
    ? { maxNewTokens: 6 + (i % 7), eosTokenId: [] }
    : i % 3 === 1
      ? { maxNewTokens: 10 + (i % 5), doSample: true, temperature: 1.3, topP: 0.9, seed: i, eosTokenId: [] }
      : { maxNewTokens: 12, repetitionPenalty: 1.3, presencePenalty: 0.5, stop: ["e"], eosTokenId: [] },
]);

describe("continuous batching on one handle", () => {
  it("concurrent calls with different options return exactly what sequential calls return, decoded together", async () => {
    const sequential: GenerationResult[] = [];
    for (const [prompt, options] of requests) sequential.push(await generator.generate(prompt, options));
    sizes.length = 0;
    const concurrent = await Promise.all(requests.map(([prompt, options]) => generator.generate(prompt, options)));
    concurrent.forEach((result, i) => {
      expect(result.tokenIds).toEqual(sequential[i]?.tokenIds);
      expect(result.text).toBe(sequential[i]?.text);
      expect(result.finishReason).toBe(sequential[i]?.finishReason);
    });
    // Prompts are tokenized concurrently, so under load they may join over a few step boundaries: assert they shared steps.
    expect(Math.max(...sizes)).toBeGreaterThan(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(16);
  });

  it("requests arriving while others decode join at a step boundary", async () => {
    const first = generator.generate("Hello", { maxNewTokens: 30, eosTokenId: [] });
    await new Promise((r) => setTimeout(r, 5));
    const late = await generator.generate("Why", { maxNewTokens: 5, eosTokenId: [] });
    expect(late.tokenIds).toEqual((await generator.generate("Why", { maxNewTokens: 5, eosTokenId: [] })).tokenIds);
    expect((await first).tokenIds).toHaveLength(30);
  });

  it("a full queue refuses with OverloadedError instead of growing without bound", async () => {
    const small = await createGenerator(fixture("gpt2"), { load: { threads: 1 }, batching: { maxSequences: 1, maxQueue: 2 } });
    const calls = Array.from({ length: 6 }, () =>
      small.generate("Hello", { maxNewTokens: 5, eosTokenId: [] }).then(
        () => "ok",
        (e: unknown) => e,
      ),
    );
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === "ok").length).toBeGreaterThanOrEqual(3);
    expect(outcomes.some((o) => o instanceof OverloadedError)).toBe(true);
    await small.dispose();
  });

  it("an aborted request leaves the batch while the others finish unchanged", async () => {
    const controller = new AbortController();
    let n = 0;
    const aborted = generator.generate("Hello", {
      maxNewTokens: 40,
      eosTokenId: [],
      signal: controller.signal,
      onToken: () => {
        if (++n === 3) controller.abort();
      },
    });
    const other = generator.generate("The cat sat on the", { maxNewTokens: 20, eosTokenId: [] });
    expect((await aborted).finishReason).toBe("abort");
    expect((await other).tokenIds).toEqual((await generator.generate("The cat sat on the", { maxNewTokens: 20, eosTokenId: [] })).tokenIds);
  });
});
