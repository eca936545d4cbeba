import { describe, expectTypeOf, it } from "vitest";
import {
  createRemoteEmbedder,
  createRemoteReranker,
  type Embedder,
  embed,
  type RemoteEmbedder,
  type RemoteReranker,
  type RerankResult,
  type Reranker,
  rerank,
  type TextEmbedder,
  type TextReranker,
} from "../src/index.js";

declare const remote: RemoteEmbedder;
declare const remoteRanker: RemoteReranker;

describe("remote handles are models of the one-shot functions, with the local result types", () => {
  it("local and remote embedders and rerankers share TextEmbedder / TextReranker", () => {
    expectTypeOf<Embedder>().toExtend<TextEmbedder>();
    expectTypeOf<RemoteEmbedder>().toExtend<TextEmbedder>();
    expectTypeOf<Reranker>().toExtend<TextReranker>();
    expectTypeOf<RemoteReranker>().toExtend<TextReranker>();
    expectTypeOf(createRemoteEmbedder({ kind: "tei", baseURL: "http://127.0.0.1:8080" })).toEqualTypeOf<RemoteEmbedder>();
    expectTypeOf(createRemoteReranker({ kind: "cohere", baseURL: "http://127.0.0.1:8000/v1" })).toEqualTypeOf<RemoteReranker>();
  });

  it("embed() and rerank() take them as model; results follow input and precision", () => {
    expectTypeOf(embed(["a"], { model: remote })).resolves.toEqualTypeOf<Float32Array[]>();
    expectTypeOf(embed("a", { model: remote, precision: "ubinary" })).resolves.toEqualTypeOf<Uint8Array>();
    expectTypeOf(remote.embed(["a"], { precision: "int8" })).resolves.toEqualTypeOf<Int8Array[]>();
    expectTypeOf(rerank("q", ["d"], { model: remoteRanker })).resolves.toEqualTypeOf<RerankResult[]>();
    // @ts-expect-error a remote reranker is not an embedder
    embed("a", { model: remoteRanker });
    // @ts-expect-error kind names a wire format
    createRemoteEmbedder({ kind: "cohere", baseURL: "http://127.0.0.1:8080" });
  });
});
