import { proj } from "@proj/ai-sdk";
import { disposeCachedHandles } from "@proj/core";
import { embed, rerank } from "@proj/encoder";
import { fixture } from "@proj/testing";
import { embed as aiEmbed, rerank as aiRerank, embedMany } from "ai";
import { afterAll, describe, expect, it } from "vitest";

const EMBED = fixture("bert-embed");
const CROSS = fixture("bert-cross-encoder");
const TEXTS = ["A dog runs in the grass.", "Two children play football on a beach at sunset.", "A man plays the guitar."];

afterAll(() => disposeCachedHandles());

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe("embed, embedMany and rerank of the ai package on local models", () => {
  it("embedMany and embed give embed()'s vectors, in order", async () => {
    const model = proj.embeddingModel(EMBED);
    const { embeddings } = await embedMany({ model, values: TEXTS });
    const own = await embed(TEXTS, { model: EMBED });
    expect(embeddings).toHaveLength(TEXTS.length);
    for (const [i, v] of embeddings.entries()) expect(maxDiff(v, own[i] as Float32Array)).toBeLessThan(1e-6);
    const one = await aiEmbed({ model, value: TEXTS[1] as string });
    expect(maxDiff(one.embedding, own[1] as Float32Array)).toBeLessThan(1e-6);
  });

  it("providerOptions.proj reach embed() (Matryoshka dimensions) and unknown ones are refused by name", async () => {
    const model = proj.embeddingModel(EMBED);
    const { embeddings } = await embedMany({ model, values: TEXTS, providerOptions: { proj: { dimensions: 8 } } });
    const own = await embed(TEXTS, { model: EMBED, dimensions: 8 });
    expect(embeddings[0]).toHaveLength(8);
    for (const [i, v] of embeddings.entries()) expect(maxDiff(v, own[i] as Float32Array)).toBeLessThan(1e-6);
    await expect(embedMany({ model, values: TEXTS, providerOptions: { proj: { dimension: 8 } } })).rejects.toThrow(
      /dimension.*dimensions/s,
    );
  });

  it("rerank gives rerank()'s order and scores, topN best first", async () => {
    const query = "a dog in the grass";
    const { ranking } = await aiRerank({ model: proj.rerankingModel(CROSS), query, documents: TEXTS, topN: 2 });
    const own = await rerank(query, TEXTS, { model: CROSS, topK: 2 });
    expect(ranking.map((r) => r.originalIndex)).toEqual(own.map((r) => r.index));
    for (const [i, r] of ranking.entries()) expect(r.score).toBeCloseTo((own[i] as { score: number }).score, 6);
    expect(ranking[0]?.document).toBe(TEXTS[own[0]?.index as number]);
  });
});
