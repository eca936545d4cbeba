import { InputError } from "@proj/core";
import { fixture, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenerator, type GenerationResult, type LocalGenerator } from "../src/index.js";

let gpt2: LocalGenerator;
beforeAll(async () => {
  gpt2 = await createGenerator(fixture("gpt2"), { load: { threads: 1 } });
});
afterAll(() => gpt2.dispose());

/** Log-softmax of the logits transformers.js computes for every position of prompt + generated tokens (one full forward pass). */
async function oracleLogprobs(prompt: string, generated: readonly number[]): Promise<{ rows: Float64Array[]; promptLength: number }> {
  const { AutoModelForCausalLM, Tensor } = await loadOracle();
  const model = await AutoModelForCausalLM.from_pretrained(fixture("gpt2"), { dtype: "fp32" });
  try {
    const promptIds = (await gpt2.model.tokenizer.encode(prompt)).ids;
    const ids = [...promptIds, ...generated];
    const input_ids = new Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
    const attention_mask = new Tensor("int64", new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
    const { logits } = (await model({ input_ids, attention_mask })) as { logits: { data: Float32Array; dims: number[] } };
    const vocab = logits.dims[2] as number;
    const rows: Float64Array[] = [];
    for (let p = 0; p < ids.length; p++) {
      const row = logits.data.subarray(p * vocab, (p + 1) * vocab);
      let max = Number.NEGATIVE_INFINITY;
      for (const v of row) max = Math.max(max, v);
      let sum = 0;
      for (const v of row) sum += Math.exp(v - max);
      const lse = max + Math.log(sum);
      rows.push(Float64Array.from(row, (v) => v - lse));
    }
    return { rows, promptLength: promptIds.length };
  } finally {
    await model.dispose();
  }
}

/** Checks each token's log-probability and alternatives against the oracle's raw distribution at its step. */
async function expectRawLogprobs(prompt: string, result: GenerationResult, top: number): Promise<void> {
  const logprobs = result.logprobs ?? [];
  expect(logprobs.map((l) => l.tokenId)).toEqual(result.tokenIds);
  const { rows, promptLength } = await oracleLogprobs(prompt, result.tokenIds);
  for (const [k, entry] of logprobs.entries()) {
    const row = rows[promptLength - 1 + k] as Float64Array;
    expect(entry.logprob).toBeCloseTo(row[entry.tokenId] as number, 4);
    expect(entry.topLogprobs).toHaveLength(top);
    const best = [...row.keys()].sort((a, b) => (row[b] as number) - (row[a] as number)).slice(0, top);
    expect(entry.topLogprobs.map((c) => c.tokenId)).toEqual(best);
    for (const c of entry.topLogprobs) expect(c.logprob).toBeCloseTo(row[c.tokenId] as number, 4);
  }
}

describe("log-probabilities of generated tokens (logprobs, topLogprobs)", () => {
  it("greedy: each token's logprob and the top alternatives equal transformers.js's raw log-softmax; the best alternative is the token", async () => {
    const prompt = "The quick brown fox";
    const result = await gpt2.generate(prompt, { maxNewTokens: 8, eosTokenId: [], logprobs: true, topLogprobs: 3 });
    expect(result.logprobs).toHaveLength(8);
    await expectRawLogprobs(prompt, result, 3);
    for (const entry of result.logprobs ?? []) expect(entry.topLogprobs[0]?.tokenId).toBe(entry.tokenId);
    const bytes = (result.logprobs ?? []).flatMap((l) => l.bytes);
    expect(new TextDecoder().decode(Uint8Array.from(bytes))).toBe(result.text);
  });

  it("are the raw model's: sampling with penalties and a temperature does not change them (vLLM's raw logprobs)", async () => {
    const prompt = "Hello";
    const result = await gpt2.generate(prompt, {
      maxNewTokens: 6,
      eosTokenId: [],
      doSample: true,
      temperature: 1.7,
      repetitionPenalty: 1.5,
      seed: 3,
      topLogprobs: 2,
    });
    await expectRawLogprobs(prompt, result, 2);
  });

  it("streamed chunks carry them; a request without logprobs in the same batch gets none; without the option there are none", async () => {
    const s = gpt2.stream("Once upon a time", { maxNewTokens: 6, eosTokenId: [], logprobs: true });
    const plain = gpt2.generate("Once upon a time", { maxNewTokens: 6, eosTokenId: [] });
    const streamed: number[] = [];
    for await (const chunk of s) if (chunk.logprob) streamed.push(chunk.logprob.tokenId);
    const result = await s.result;
    expect(streamed).toEqual(result.tokenIds);
    expect(result.logprobs?.every((l) => l.topLogprobs.length === 0)).toBe(true);
    const other = await plain;
    expect(other.logprobs).toBeUndefined();
    expect(other.tokenIds).toEqual(result.tokenIds);
  });

  it("bad values are InputErrors naming the option; beam search refuses them", async () => {
    await expect(gpt2.generate("x", { topLogprobs: 21 })).rejects.toThrow(/topLogprobs/);
    await expect(gpt2.generate("x", { logprobs: "yes" as unknown as boolean })).rejects.toThrow(/logprobs must be a boolean/);
    await expect(gpt2.generate("x", { logprobs: false, topLogprobs: 2 })).rejects.toThrow(InputError);
    await expect(gpt2.generate("x", { logprobs: true, numBeams: 2 })).rejects.toThrow(/beam search/);
  });
});
