import { TASK_TABLE, taskRow } from "@proj/chooser";
import * as encoder from "@proj/encoder";
import { fixture } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { type AnyPipeline, pipeline } from "../src/index.js";

const load = { threads: 1 };
const opened: AnyPipeline[] = [];
async function keep<P extends AnyPipeline>(p: Promise<P>): Promise<P> {
  const got = await p;
  opened.push(got);
  return got;
}
afterAll(async () => {
  await Promise.all(opened.map((p) => p.dispose()));
  await encoder.disposeCachedHandles();
});

const texts = ["A man is playing a guitar.", "Two dogs run through a snowy field.", "ok"];

describe("the embedding tasks of the chooser's table run through pipeline()", () => {
  it("their rows name the encoder's defaults", () => {
    expect(taskRow("feature-extraction").defaultModel).toBe(encoder.DEFAULT_EMBED_MODEL);
    expect(taskRow("sentence-similarity").defaultModel).toBe(encoder.DEFAULT_EMBED_MODEL);
    expect(taskRow("text-ranking").defaultModel).toBe(encoder.DEFAULT_RERANK_MODEL);
    expect(taskRow("zero-shot-classification").defaultModel).toBe(encoder.DEFAULT_ZERO_SHOT_MODEL);
    expect(TASK_TABLE.filter((r) => r.servedBy.function === "embed").map((r) => r.task)).toEqual([
      "feature-extraction",
      "sentence-similarity",
    ]);
  });

  it('feature-extraction (and "embed") = embed()', async () => {
    const extract = await keep(pipeline("embed", { model: fixture("bert-embed"), load }));
    expect(extract.task).toBe("feature-extraction");
    const got = await extract(texts, { dimensions: 4 });
    expect(got).toEqual(await encoder.embed(texts, { model: fixture("bert-embed"), dimensions: 4, load }));
    const one = await extract(texts[0] as string, { precision: "ubinary" });
    expect(one).toBeInstanceOf(Uint8Array);
  });

  it("sentence-similarity = cosineSimilarity of embed() vectors, source against each sentence", async () => {
    const similarity = await keep(pipeline("sentence-similarity", { model: fixture("bert-embed"), load }));
    const got = await similarity(texts[0] as string, texts.slice(1));
    const [source, ...others] = await encoder.embed(texts, { model: fixture("bert-embed"), load });
    expect(got).toEqual(others.map((o) => encoder.cosineSimilarity(source as Float32Array, o)));
    expect(got).toHaveLength(2);
  });

  it('text-ranking (and "rerank") = rerank()', async () => {
    const rank = await keep(pipeline("rerank", { model: fixture("bert-cross-encoder"), load }));
    expect(rank.task).toBe("text-ranking");
    const got = await rank("a guitar player", texts, { topK: 2, returnDocuments: true });
    expect(got).toEqual(
      await encoder.rerank("a guitar player", texts, { model: fixture("bert-cross-encoder"), topK: 2, returnDocuments: true, load }),
    );
    expect(got).toHaveLength(2);
  });

  it('zero-shot-classification (and "zero-shot") = classifyZeroShot()', async () => {
    const zeroShot = await keep(pipeline("zero-shot", { model: fixture("bert-nli"), load }));
    expect(zeroShot.task).toBe("zero-shot-classification");
    const labels = ["music", "animals"];
    const got = await zeroShot(texts, labels, { multiLabel: true });
    expect(got).toEqual(await encoder.classifyZeroShot(texts, labels, { model: fixture("bert-nli"), multiLabel: true, load }));
    expect((await zeroShot(texts[0] as string, labels)).labels.sort()).toEqual(["animals", "music"]);
  });
});
