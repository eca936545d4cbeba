import { InputError, ModelNotFoundError, SessionError } from "@proj/core";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEmbedder,
  createRemoteEmbedder,
  createRemoteReranker,
  createReranker,
  disposeCachedHandles,
  type Embedder,
  embed,
  type RemoteEmbedder,
  type RemoteReranker,
  type Reranker,
  rerank,
} from "../src/index.js";
import { type Loopback, type Reply, startLoopback, unknownFields } from "./support/loopback.js";

// A loopback server in OpenAI's embeddings format (and the Cohere/Jina rerank format), backed by local handles on
// the fixtures: vectors sent as JSON floats or base64 float32, as `encoding_format` asks. Unknown fields are refused
// so the client's field names are checked.
const EMBEDDINGS_FIELDS = ["input", "model", "encoding_format", "dimensions", "user"];
const COHERE_FIELDS = ["query", "documents", "model", "top_n", "return_documents"];

const texts = ["A man is playing a guitar.", "ok", "Two dogs run through a snowy field.", "The quick brown fox jumps over the lazy dog."];
const query = "dogs running in snow";

let local: Embedder;
let cross: Reranker;
let server: Loopback;
let remote: RemoteEmbedder;
let cohere: RemoteReranker;

const openAIError = (status: number, message: string): Reply => ({ status, body: { error: { message, type: "invalid_request_error" } } });

function base64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
}

async function route(path: string, body: unknown): Promise<Reply> {
  const b = (body ?? {}) as Record<string, unknown>;
  if (path === "/v1/embeddings") {
    const unknown = unknownFields(body, EMBEDDINGS_FIELDS);
    if (unknown.length > 0) return openAIError(400, `Unrecognized request argument supplied: ${unknown[0]}`);
    if (b.model !== undefined && b.model !== "bert-embed")
      return { status: 404, body: { error: { message: `The model \`${b.model}\` does not exist` } } };
    const input = typeof b.input === "string" ? [b.input] : (b.input as string[]);
    const vectors = await local.embed(input, b.dimensions === undefined ? {} : { dimensions: b.dimensions as number });
    return {
      status: 200,
      body: {
        object: "list",
        // Reversed, as a server may answer in any order: the client places vectors by index.
        data: vectors
          .map((v, index) => ({ object: "embedding", index, embedding: b.encoding_format === "base64" ? base64(v) : Array.from(v) }))
          .reverse(),
        model: "bert-embed",
        usage: { prompt_tokens: 1, total_tokens: 1 },
      },
    };
  }
  if (path === "/v1/rerank") {
    const unknown = unknownFields(body, COHERE_FIELDS);
    if (unknown.length > 0) return openAIError(400, `unknown field ${unknown[0]}`);
    const docs = b.documents as string[];
    const ranked = await cross.rerank(b.query as string, docs, b.top_n === undefined ? {} : { topK: b.top_n as number });
    return {
      status: 200,
      body: {
        results: ranked.map((r) => ({
          index: r.index,
          relevance_score: r.score,
          ...(b.return_documents ? { document: { text: docs[r.index] } } : {}),
        })),
      },
    };
  }
  return { status: 404, body: { error: { message: `no route ${path}` } } };
}

beforeAll(async () => {
  [local, cross] = await Promise.all([
    createEmbedder(fixture("bert-embed"), { load: { threads: 1 } }),
    createReranker(fixture("bert-cross-encoder"), { load: { threads: 1 } }),
  ]);
  server = await startLoopback(route);
  remote = createRemoteEmbedder({ kind: "openai", baseURL: `${server.url}/v1`, model: "bert-embed" });
  cohere = createRemoteReranker({ kind: "cohere", baseURL: `${server.url}/v1`, model: "bert-cross-encoder" });
});
afterAll(async () => {
  await server.close();
  await Promise.all([local.dispose(), cross.dispose(), disposeCachedHandles()]);
});

const lastBody = (): unknown => server.received.at(-1)?.body;

describe("an OpenAI-format remote embedder", () => {
  it("asks for base64 and decodes the server's float32 bytes exactly, in input order", async () => {
    const got = await embed(texts, { model: remote });
    expect(got).toEqual(await local.embed(texts));
    expect(lastBody()).toEqual({ input: texts, model: "bert-embed", encoding_format: "base64" });
    expect(got.every((v) => v instanceof Float32Array)).toBe(true);
  });

  it("reads float arrays too, from a server that ignores encoding_format", async () => {
    const want = await local.embed(texts.slice(0, 2));
    server.next.push({
      status: 200,
      body: { object: "list", data: want.map((v, index) => ({ object: "embedding", index, embedding: Array.from(v) })) },
    });
    expect(await remote.embed(texts.slice(0, 2))).toEqual(want);
  });

  it("dimensions is sent; normalize: true normalizes here; prompt is put before each text", async () => {
    expect(await remote.embed(texts, { dimensions: 8 })).toEqual(await local.embed(texts, { dimensions: 8 }));
    expect(lastBody()).toMatchObject({ dimensions: 8 });
    const normalized = await remote.embed(texts, { normalize: true, prompt: "query: " });
    const want = await local.embed(texts, { normalize: true, promptName: "query" });
    const gap = Math.max(...normalized.flatMap((v, i) => Array.from(v, (x, d) => Math.abs(x - ((want[i] as Float32Array)[d] as number)))));
    expect(gap).toBeLessThan(1e-6);
  });

  it("refuses what the OpenAI format has no field for: promptName, normalize: false, truncation, pooling", async () => {
    const before = server.received.length;
    for (const [options, name] of [
      [{ promptName: "query" }, "promptName"],
      [{ normalize: false }, "normalize: false"],
      [{ truncation: "truncate" }, 'truncation: "truncate"'],
      [{ pooling: "mean" }, "pooling"],
    ] as const) {
      const error = await remote.embed(texts, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(name);
    }
    expect(server.received.length).toBe(before);
  });

  it("an unknown model is a ModelNotFoundError; a 400 an InputError; a repeated index or bad base64 a SessionError", async () => {
    const other = createRemoteEmbedder({ kind: "openai", baseURL: `${server.url}/v1`, model: "gpt-embed" });
    await expect(other.embed(["a"])).rejects.toBeInstanceOf(ModelNotFoundError);
    server.next.push(openAIError(400, "input too long"));
    await expect(remote.embed(["a"])).rejects.toThrow(/input too long/);
    const v = base64(new Float32Array([1, 2]));
    server.next.push({
      status: 200,
      body: {
        data: [
          { index: 0, embedding: v },
          { index: 0, embedding: v },
        ],
      },
    });
    await expect(remote.embed(["a", "b"])).rejects.toThrow(/index 0/);
    server.next.push({ status: 200, body: { data: [{ index: 0, embedding: "AAA" }] } });
    await expect(remote.embed(["a"])).rejects.toBeInstanceOf(SessionError);
    server.next.push({ status: 200, body: { data: [{ index: 0, embedding: base64(new Float32Array([1, 2, 3])) }] } });
    await expect(remote.embed(["a"], { dimensions: 2 })).rejects.toThrow(/3 values where dimensions asked for 2/);
  });
});

describe("a Cohere/Jina-format remote reranker", () => {
  it("rerank() with the remote handle equals the local reranker; topK is top_n, documents are filled in here", async () => {
    const docs = [...texts, "A dog runs in the snow."];
    expect(await rerank(query, docs, { model: cohere })).toEqual(await cross.rerank(query, docs));
    expect(lastBody()).toEqual({ query, documents: docs, model: "bert-cross-encoder", return_documents: false });
    const top = await cohere.rerank(query, docs, { topK: 2, returnDocuments: true });
    expect(top).toEqual(await cross.rerank(query, docs, { topK: 2, returnDocuments: true }));
    expect(lastBody()).toMatchObject({ top_n: 2 });
    expect(await cohere.rerank(query, docs, { topK: 2, batchSize: 2 })).toEqual(await cross.rerank(query, docs, { topK: 2 }));
  });

  it("activation is refused; a short results list is a SessionError", async () => {
    await expect(cohere.rerank(query, texts, { activation: "none" })).rejects.toThrow(/activation/);
    server.next.push({ status: 200, body: { results: [{ index: 0, relevance_score: 0.1 }] } });
    await expect(cohere.rerank(query, ["a", "b"])).rejects.toThrow(/1 results where 2 were asked for/);
  });
});
