import { describe, expectTypeOf, it } from "vitest";
import {
  type Classification,
  type Classifier,
  classify,
  createRemoteClassifier,
  createRemoteEmbedder,
  createRemoteReranker,
  type Embedder,
  embed,
  type RemoteClassifier,
  type RemoteEmbedder,
  type RemoteReranker,
  type RerankResult,
  type Reranker,
  rerank,
  type TextClassifier,
  type TextEmbedder,
  type TextReranker,
} from "../src/index.js";

declare const remote: RemoteEmbedder;
declare const remoteRanker: RemoteReranker;
declare const remoteClassifier: RemoteClassifier;

describe("remote handles are models of the one-shot functions, with the local result types", () => {
  it("local and remote embedders and rerankers share TextEmbedder / TextReranker", () => {
    expectTypeOf<Embedder>().toExtend<TextEmbedder>();
    expectTypeOf<RemoteEmbedder>().toExtend<TextEmbedder>();
    expectTypeOf<Reranker>().toExtend<TextReranker>();
    expectTypeOf<RemoteReranker>().toExtend<TextReranker>();
    expectTypeOf(createRemoteEmbedder({ kind: "tei", baseURL: "http://127.0.0.1:8080" })).toEqualTypeOf<RemoteEmbedder>();
    expectTypeOf(createRemoteReranker({ kind: "cohere", baseURL: "http://127.0.0.1:8000/v1" })).toEqualTypeOf<RemoteReranker>();
    expectTypeOf<Classifier>().toExtend<TextClassifier>();
    expectTypeOf<RemoteClassifier>().toExtend<TextClassifier>();
    expectTypeOf(createRemoteClassifier({ kind: "tei", baseURL: "http://127.0.0.1:8080" })).toEqualTypeOf<RemoteClassifier>();
  });

  it("embed() and rerank() take them as model; results follow input and precision", () => {
    expectTypeOf(embed(["a"], { model: remote })).resolves.toEqualTypeOf<Float32Array[]>();
    expectTypeOf(embed("a", { model: remote, precision: "ubinary" })).resolves.toEqualTypeOf<Uint8Array>();
    expectTypeOf(remote.embed(["a"], { precision: "int8" })).resolves.toEqualTypeOf<Int8Array[]>();
    expectTypeOf(rerank("q", ["d"], { model: remoteRanker })).resolves.toEqualTypeOf<RerankResult[]>();
    expectTypeOf(classify(["a"], { model: remoteClassifier })).resolves.toEqualTypeOf<Classification[][]>();
    expectTypeOf(remoteClassifier.classify("a")).resolves.toEqualTypeOf<Classification[]>();
    // @ts-expect-error a remote classifier is not a reranker
    rerank("q", ["d"], { model: remoteClassifier });
    // @ts-expect-error a remote reranker is not an embedder
    embed("a", { model: remoteRanker });
    // @ts-expect-error kind names a wire format
    createRemoteEmbedder({ kind: "cohere", baseURL: "http://127.0.0.1:8080" });
  });
});
