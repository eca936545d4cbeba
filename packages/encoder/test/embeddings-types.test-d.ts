import { describe, expectTypeOf, it } from "vitest";
import {
  classifyZeroShot,
  type Embedder,
  embed,
  type RerankResult,
  type Reranker,
  rerank,
  type ZeroShotClassifier,
  type ZeroShotResult,
} from "../src/index.js";

declare const embedder: Embedder;
declare const reranker: Reranker;
declare const zeroShot: ZeroShotClassifier;

describe("embedding results follow the input and the precision", () => {
  it("embed(): one text gives one array, many give a list; quantized precisions give integer arrays", () => {
    expectTypeOf(embed("a")).resolves.toEqualTypeOf<Float32Array>();
    expectTypeOf(embed(["a"])).resolves.toEqualTypeOf<Float32Array[]>();
    expectTypeOf(embed(["a"], { precision: "int8" })).resolves.toEqualTypeOf<Int8Array[]>();
    expectTypeOf(embed(["a"], { precision: "binary" })).resolves.toEqualTypeOf<Int8Array[]>();
    expectTypeOf(embed("a", { precision: "uint8", ranges: { min: [0], max: [1] } })).resolves.toEqualTypeOf<Uint8Array>();
    expectTypeOf(embedder.embed(["a"], { precision: "ubinary" })).resolves.toEqualTypeOf<Uint8Array[]>();
    expectTypeOf(embed(["a"], { model: embedder, dimensions: 4 })).resolves.toEqualTypeOf<Float32Array[]>();
  });

  it("rerank() and classifyZeroShot() return their result types; a handle of another task is not a model", () => {
    expectTypeOf(rerank("q", ["d"], { topK: 1 })).resolves.toEqualTypeOf<RerankResult[]>();
    expectTypeOf(reranker.rerank("q", ["d"])).resolves.toEqualTypeOf<RerankResult[]>();
    expectTypeOf(classifyZeroShot("a", ["x"])).resolves.toEqualTypeOf<ZeroShotResult>();
    expectTypeOf(zeroShot.classify(["a"], ["x"], { multiLabel: true })).resolves.toEqualTypeOf<ZeroShotResult[]>();
    // @ts-expect-error a reranker is not an embedder
    embed("a", { model: reranker });
    // @ts-expect-error precision names a number format
    embed("a", { precision: "float16" });
  });
});
