import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { ModelNotFoundError } from "@proj/core";
import { createRemoteEmbedder, createRemoteReranker, disposeCachedHandles, embed, rerank } from "@proj/encoder";
import { fixture } from "@proj/testing";
import { embed as aiEmbed, embedMany } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start } from "./helpers.js";

// The clients of `proj serve`'s embeddings: the SDK's own remote handles and the Vercel AI SDK, each compared with
// embed()/rerank() run in this process on the same fixtures.
const texts = ["A man is playing a guitar.", "ok", "Two dogs run through a snowy field.", "The quick brown fox jumps over the lazy dog."];
const LOCAL = { model: fixture("bert-embed"), load: { threads: 1 } };

let run: Running;
beforeAll(async () => {
  run = await start({ tasks: { embed: fixture("bert-embed"), rerank: fixture("bert-cross-encoder") } });
});
afterAll(async () => {
  await run?.server.close();
  await disposeCachedHandles();
});

/** The largest absolute difference between two lists of vectors of the same shape. */
function gap(got: ArrayLike<number>[], want: ArrayLike<number>[]): number {
  expect(got.map((v) => v.length)).toEqual(want.map((v) => v.length));
  return Math.max(...got.flatMap((v, i) => Array.from(v, (x, d) => Math.abs(x - ((want[i] as ArrayLike<number>)[d] as number)))));
}

describe("createRemoteEmbedder/createRemoteReranker against proj serve", () => {
  it('kind "openai" returns the vectors of in-process embed() within 1e-5 (base64 on the wire, dimensions too)', async () => {
    const remote = createRemoteEmbedder({ kind: "openai", baseURL: `${run.url}/v1`, model: "bert-embed" });
    expect(gap(await embed(texts, { model: remote }), await embed(texts, LOCAL))).toBeLessThan(1e-5);
    expect(gap([await remote.embed(texts[2] as string)], [await embed(texts[2] as string, LOCAL)])).toBeLessThan(1e-5);
    expect(gap(await remote.embed(texts, { dimensions: 4 }), await embed(texts, { ...LOCAL, dimensions: 4 }))).toBeLessThan(1e-5);
    const unnamed = createRemoteEmbedder({ kind: "openai", baseURL: `${run.url}/v1` });
    expect(gap(await unnamed.embed(texts), await embed(texts, LOCAL))).toBeLessThan(1e-5);
    const wrong = createRemoteEmbedder({ kind: "openai", baseURL: `${run.url}/v1`, model: "text-embedding-3-small" });
    await expect(wrong.embed(texts)).rejects.toBeInstanceOf(ModelNotFoundError);
  });

  it('kind "cohere" on /v1/rerank ranks as in-process rerank()', async () => {
    const remote = createRemoteReranker({ kind: "cohere", baseURL: `${run.url}/v1`, model: "bert-cross-encoder" });
    const local = { model: fixture("bert-cross-encoder"), load: { threads: 1 } };
    const query = "dogs running in snow";
    for (const options of [{}, { topK: 2, returnDocuments: true }]) {
      const got = await rerank(query, texts, { model: remote, ...options });
      const want = await rerank(query, texts, { ...local, ...options });
      expect(got.map(({ score, ...rest }) => rest)).toEqual(want.map(({ score, ...rest }) => rest));
      expect(gap([got.map((r) => r.score)], [want.map((r) => r.score)])).toBeLessThan(1e-5);
    }
  });
});

describe("the Vercel AI SDK (@ai-sdk/openai-compatible) against proj serve", () => {
  it("embed and embedMany return the vectors of in-process embed() within 1e-5", async () => {
    const provider = createOpenAICompatible({ name: "proj", baseURL: `${run.url}/v1` });
    const model = provider.embeddingModel("bert-embed");
    const want = await embed(texts, LOCAL);

    const one = await aiEmbed({ model, value: texts[0] as string, maxRetries: 0 });
    expect(gap([one.embedding], [want[0] as Float32Array])).toBeLessThan(1e-5);

    const many = await embedMany({ model, values: texts, maxRetries: 0 });
    expect(gap(many.embeddings, want)).toBeLessThan(1e-5);
    expect(many.usage.tokens).toBeGreaterThan(texts.length * 2);

    const short = await embedMany({ model, values: texts, maxRetries: 0, providerOptions: { proj: { dimensions: 4 } } });
    expect(gap(short.embeddings, await embed(texts, { ...LOCAL, dimensions: 4 }))).toBeLessThan(1e-5);
  });

  it("an unknown model is an error the AI SDK reports with the server's message", async () => {
    const provider = createOpenAICompatible({ name: "proj", baseURL: `${run.url}/v1` });
    await expect(aiEmbed({ model: provider.embeddingModel("text-embedding-3-small"), value: "ok", maxRetries: 0 })).rejects.toThrow(
      /text-embedding-3-small/,
    );
  });
});
