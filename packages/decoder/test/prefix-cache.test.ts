import { fixture, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenerator, type LocalGenerator } from "../src/index.js";

/** The generator's prefix cache: same outputs as transformers.js with or without it, and its switches. */

const SHARED =
  "Answer from the passage. The library opens at nine on weekdays and at ten on Saturdays; it is closed on Sundays. Books may be borrowed for three weeks and renewed twice.";
const QUESTIONS = [" Q: When does it open on Saturday? A:", " Q: How long can I keep a book? A:", " Q: Is it open on Sunday? A:"];

let generator: LocalGenerator;
beforeAll(async () => {
  generator = await createGenerator(fixture("gpt2"), { load: { threads: 1 }, prefixCache: { blockTokens: 8 } });
});
afterAll(() => generator.dispose());

describe("the generator's prefix cache", () => {
  it("prompts sharing a passage reuse its key/values and still decode exactly as transformers.js", async () => {
    const oracle = await loadOracle();
    const tokenizer = await oracle.AutoTokenizer.from_pretrained(fixture("gpt2"));
    const reference = await oracle.AutoModelForCausalLM.from_pretrained(fixture("gpt2"), { dtype: "fp32" });
    await generator.generate(SHARED, { maxNewTokens: 1 });
    for (const question of QUESTIONS) {
      const prompt = SHARED + question;
      const result = await generator.generate(prompt, { maxNewTokens: 12, eosTokenId: [] });
      const promptTokens = result.metrics.promptTokens;
      expect(result.metrics.cachedTokens).toBeGreaterThanOrEqual(Math.floor((promptTokens - 12) / 8) * 8 - 8);
      const inputs = tokenizer(prompt);
      const out = (await reference.generate({ ...inputs, max_new_tokens: 12, do_sample: false })) as { tolist(): bigint[][] };
      expect(result.tokenIds).toEqual((out.tolist()[0] ?? []).slice(promptTokens).map(Number).slice(0, 12));
    }
    await reference.dispose();
    const stats = generator.prefixCacheStats();
    expect(stats?.hits).toBeGreaterThanOrEqual(QUESTIONS.length);
    expect(stats?.cachedTokens).toBeGreaterThan(0);
  });

  it("seeded sampling gives the same text with and without the cache; cachePrompt: false skips it", async () => {
    const prompt = SHARED + QUESTIONS[0];
    const options = { maxNewTokens: 16, doSample: true, temperature: 0.8, seed: 7 };
    const cached = await generator.generate(prompt, options);
    expect(cached.metrics.cachedTokens).toBeGreaterThan(0);
    const uncached = await generator.generate(prompt, { ...options, cachePrompt: false });
    expect(uncached.metrics.cachedTokens).toBe(0);
    expect(cached.text).toBe(uncached.text);
  });

  it("prefixCache: false turns it off; bad options are refused by name", async () => {
    const off = await createGenerator(fixture("gpt2"), { load: { threads: 1 }, prefixCache: false });
    expect(off.prefixCacheStats()).toBeUndefined();
    const twice = [await off.generate(SHARED, { maxNewTokens: 2 }), await off.generate(SHARED, { maxNewTokens: 2 })];
    expect(twice[1]?.metrics.cachedTokens).toBe(0);
    await off.dispose();
    await expect(createGenerator(fixture("gpt2"), { prefixCache: { blockSize: 8 } as never })).rejects.toThrow(/blockSize.*blockTokens/s);
    await expect(createGenerator(fixture("gpt2"), { prefixCache: { maxBytes: -5 } })).rejects.toThrow(/maxBytes/);
    await expect(generator.generate("Hi", { cachePrompt: "yes" as never })).rejects.toThrow(/cachePrompt/);
  });
});
