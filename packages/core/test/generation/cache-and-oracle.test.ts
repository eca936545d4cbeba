import { fixture, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedModel } from "../../src/index.js";
import { decoderFixture, firstSequence, generateIds } from "./engine-helpers.js";

const names = ["gpt2", "llama"] as const;
const models = new Map<string, LoadedModel>();
beforeAll(async () => {
  for (const name of names) models.set(name, await decoderFixture(name));
});
afterAll(async () => {
  for (const m of models.values()) await m.dispose();
});

const prompts = ["The quick brown fox", "Hello", "In a hole in the ground there lived a hobbit. Not a nasty, dirty, wet hole"];

describe.each(names)("%s: greedy decoding", (name) => {
  it("with the KV cache gives the same tokens as recomputing the whole sequence every step", async () => {
    const model = models.get(name) as LoadedModel;
    for (const prompt of prompts) {
      const ids = (await model.tokenizer.encode(prompt)).ids;
      const cached = firstSequence(await generateIds(model, [ids], { maxNewTokens: 24, eosTokenId: [] }));
      const uncached = firstSequence(await generateIds(model, [ids], { maxNewTokens: 24, eosTokenId: [] }, { useCache: false }));
      expect(cached.tokenIds).toHaveLength(24);
      expect(cached.tokenIds).toEqual(uncached.tokenIds);
    }
  });

  it("matches transformers.js token for token, single prompts and a batch of different lengths", async () => {
    const model = models.get(name) as LoadedModel;
    const oracle = await loadOracle();
    const tokenizer = await oracle.AutoTokenizer.from_pretrained(fixture(name));
    const reference = await oracle.AutoModelForCausalLM.from_pretrained(fixture(name), { dtype: "fp32" });
    const encoded = await Promise.all(prompts.map((p) => model.tokenizer.encode(p)));
    const ours = await generateIds(
      model,
      encoded.map((e) => e.ids),
      { maxNewTokens: 16 },
    );
    for (let i = 0; i < prompts.length; i++) {
      const inputs = tokenizer(prompts[i] as string);
      const out = (await reference.generate({ ...inputs, max_new_tokens: 16, do_sample: false })) as { tolist(): bigint[][] };
      const promptLength = encoded[i]?.ids.length ?? 0;
      const want = (out.tolist()[0] ?? []).slice(promptLength).map(Number);
      const got = ours[i]?.[0]?.tokenIds ?? [];
      // transformers.js keeps the end-of-sequence token and pads after it; ours stops before it.
      expect(got).toEqual(want.slice(0, got.length));
      if (got.length < 16) expect(model.config.eosTokenIds).toContain(want[got.length]);
      // Single calls and the batch agree.
      const single = firstSequence(await generateIds(model, [encoded[i]?.ids ?? []], { maxNewTokens: 16 }));
      expect(single.tokenIds).toEqual(got);
    }
    await reference.dispose();
  });
});
