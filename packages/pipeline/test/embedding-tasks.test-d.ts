import type { EmbeddingOf, RerankResult, ZeroShotResult } from "@proj/encoder";
import { describe, expectTypeOf, it } from "vitest";
import {
  type FeatureExtractionPipeline,
  pipeline,
  type SentenceSimilarityPipeline,
  type TextRankingPipeline,
  type ZeroShotClassificationPipeline,
} from "../src/index.js";

declare const extract: FeatureExtractionPipeline;
declare const similarity: SentenceSimilarityPipeline;
declare const rank: TextRankingPipeline;
declare const zeroShot: ZeroShotClassificationPipeline;

describe("the embedding tasks are typed", () => {
  it("pipeline(name) gives the task's pipeline for canonical names and aliases", () => {
    expectTypeOf(pipeline("feature-extraction")).resolves.toEqualTypeOf<FeatureExtractionPipeline>();
    expectTypeOf(pipeline("embed")).resolves.toEqualTypeOf<FeatureExtractionPipeline>();
    expectTypeOf(pipeline("embeddings")).resolves.toEqualTypeOf<FeatureExtractionPipeline>();
    expectTypeOf(pipeline("sentence-similarity")).resolves.toEqualTypeOf<SentenceSimilarityPipeline>();
    expectTypeOf(pipeline("text-ranking")).resolves.toEqualTypeOf<TextRankingPipeline>();
    expectTypeOf(pipeline("rerank")).resolves.toEqualTypeOf<TextRankingPipeline>();
    expectTypeOf(pipeline("zero-shot-classification")).resolves.toEqualTypeOf<ZeroShotClassificationPipeline>();
    expectTypeOf(pipeline("zero-shot")).resolves.toEqualTypeOf<ZeroShotClassificationPipeline>();
  });

  it("results follow the input and the precision", () => {
    expectTypeOf(extract("a")).resolves.toEqualTypeOf<Float32Array>();
    expectTypeOf(extract(["a"])).resolves.toEqualTypeOf<Float32Array[]>();
    expectTypeOf(extract(["a"], { precision: "int8" })).resolves.toEqualTypeOf<Int8Array[]>();
    expectTypeOf(extract("a", { precision: "ubinary" })).resolves.toEqualTypeOf<EmbeddingOf<"ubinary">>();
    expectTypeOf(similarity("a", ["b"])).resolves.toEqualTypeOf<number[]>();
    expectTypeOf(rank("q", ["d"])).resolves.toEqualTypeOf<RerankResult[]>();
    expectTypeOf(zeroShot("a", ["x"])).resolves.toEqualTypeOf<ZeroShotResult>();
    expectTypeOf(zeroShot(["a"], ["x"])).resolves.toEqualTypeOf<ZeroShotResult[]>();
  });
});
