import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedModel } from "../../src/index.js";
import { CausalRunner, logSoftmaxInPlace } from "../../src/internal.js";
import { decoderFixture, firstSequence, generateIds } from "./engine-helpers.js";

let model: LoadedModel;
beforeAll(async () => {
  model = await decoderFixture("gpt2");
});
afterAll(() => model.dispose());

/** Every token id of the vocabulary except `allowed`, to restrict generation to a handful of tokens. */
function allExcept(allowed: readonly number[], vocab: number): number[] {
  const keep = new Set(allowed);
  return Array.from({ length: vocab }, (_, i) => i).filter((i) => !keep.has(i));
}

describe("beam search", () => {
  it("returns the sequence exhaustive search finds best (3 new tokens over a 4-token vocabulary)", async () => {
    const prompt = (await model.tokenizer.encode("The weather today is")).ids;
    const allowed = (await model.tokenizer.encode(" sunny cold wet fine", { addSpecialTokens: false })).ids;
    expect(allowed).toHaveLength(4);
    const vocab = model.config.vocabSize as number;

    // Exhaustive: score every continuation by summed full-vocabulary log-probabilities from uncached forward passes.
    const runner = new CausalRunner(model.session("model"), model.config, { useCache: false });
    const logProb = async (prefix: number[]): Promise<Float32Array> => {
      const { logits } = await runner.prefill([{ inputIds: [...prompt, ...prefix] }]);
      const row = Float32Array.from(logits[0] as Float32Array);
      logSoftmaxInPlace(row);
      return row;
    };
    let best = { tokens: [] as number[], score: Number.NEGATIVE_INFINITY };
    for (const a of allowed) {
      const la = await logProb([]);
      for (const b of allowed) {
        const lb = await logProb([a]);
        for (const c of allowed) {
          const lc = await logProb([a, b]);
          const score = (la[a] as number) + (lb[b] as number) + (lc[c] as number);
          if (score > best.score) best = { tokens: [a, b, c], score };
        }
      }
    }

    const options = { maxNewTokens: 3, eosTokenId: [] as number[], suppressTokens: allExcept(allowed, vocab), lengthPenalty: 1 };
    const exact = firstSequence(await generateIds(model, [prompt], { ...options, numBeams: 16 }));
    expect(exact.tokenIds).toEqual(best.tokens);
    expect(exact.score).toBeCloseTo(best.score / 3, 4);
    // Fewer beams can only do as well or worse; greedy (one beam) is a lower bound too.
    const narrow = firstSequence(await generateIds(model, [prompt], { ...options, numBeams: 2 }));
    expect(narrow.score as number).toBeLessThanOrEqual((exact.score as number) + 1e-6);
  });

  it("batched inputs give the same beams as one input at a time, and hypotheses end at EOS with finish reason stop", async () => {
    const prompts = await Promise.all(
      ["Hello", "A much longer prompt than the first one"].map(async (p) => (await model.tokenizer.encode(p)).ids),
    );
    const options = { maxNewTokens: 6, numBeams: 3, numReturnSequences: 2 };
    const batch = await generateIds(model, prompts, options);
    for (let i = 0; i < prompts.length; i++) {
      const single = await generateIds(model, [prompts[i] as number[]], options);
      expect(batch[i]?.map((s) => s.tokenIds)).toEqual(single[0]?.map((s) => s.tokenIds));
    }
    // Make token 13 (".") the EOS: some hypothesis ends on it.
    const ended = await generateIds(model, [prompts[0] as number[]], { maxNewTokens: 8, numBeams: 4, eosTokenId: [13, 11, 290] });
    const seq = firstSequence(ended);
    expect(["stop", "length"]).toContain(seq.finishReason);
    expect(seq.tokenIds).not.toContain(13);
  });
});
