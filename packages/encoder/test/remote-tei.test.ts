import { AbortError, DisposedError, InputError, ModelNotFoundError, OverloadedError, SessionError } from "@proj/core";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  calibrationRanges,
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
import type { Loopback, Reply } from "./support/loopback.js";
import { startTei, teiError } from "./support/tei.js";

// createRemoteEmbedder/createRemoteReranker against a loopback server speaking TEI's documented wire format
// (support/tei.ts), backed by local handles on the fixtures.
const texts = ["A man is playing a guitar.", "ok", "Two dogs run through a snowy field.", "The quick brown fox jumps over the lazy dog."];
const query = "dogs running in snow";

let local: Embedder;
let cross: Reranker;
let tei: Loopback;
let remote: RemoteEmbedder;
let remoteRanker: RemoteReranker;

beforeAll(async () => {
  [local, cross] = await Promise.all([
    createEmbedder(fixture("bert-embed"), { load: { threads: 1 } }),
    createReranker(fixture("bert-cross-encoder"), { load: { threads: 1 } }),
  ]);
  tei = await startTei({ embedder: local, reranker: cross });
  remote = createRemoteEmbedder({ kind: "tei", baseURL: `${tei.url}/` });
  remoteRanker = createRemoteReranker({ kind: "tei", baseURL: tei.url });
});
afterAll(async () => {
  await tei.close();
  await Promise.all([local.dispose(), cross.dispose(), disposeCachedHandles()]);
});

const lastBody = (): unknown => tei.received.at(-1)?.body;

describe("a TEI remote embedder returns what the model embeds, with options mapped onto TEI's fields", () => {
  it("the loopback server refuses fields TEI does not define (so the mapping below is checked)", async () => {
    const response = await fetch(`${tei.url}/embed`, { method: "POST", body: JSON.stringify({ inputs: ["a"], input: ["a"] }) });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: "unknown field `input`", error_type: "Validation" });
  });

  it("embed() with the remote handle as model equals the local embedder (normalized, TEI's default)", async () => {
    const got = await embed(texts, { model: remote, normalize: true });
    expect(got).toEqual(await local.embed(texts, { normalize: true }));
    expect(lastBody()).toEqual({ inputs: texts, truncate: false, normalize: true });
    const [one] = await Promise.all([remote.embed(texts[0] as string)]);
    expect(one).toEqual((await local.embed([texts[0] as string], { normalize: true }))[0]);
    expect(lastBody()).toEqual({ inputs: [texts[0]], truncate: false });
  });

  it("dimensions, normalize, promptName and truncation map to dimensions, normalize, prompt_name and truncate", async () => {
    const options = { dimensions: 8, normalize: false, promptName: "query" } as const;
    expect(await remote.embed(texts, options)).toEqual(await local.embed(texts, options));
    expect(lastBody()).toEqual({ inputs: texts, truncate: false, normalize: false, dimensions: 8, prompt_name: "query" });
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
    await expect(remote.embed([long], { normalize: true })).rejects.toThrow(InputError);
    const cut = await remote.embed([long], { normalize: true, truncation: "truncate" });
    expect(cut).toEqual(await local.embed([long], { normalize: true, truncation: "truncate" }));
    expect(lastBody()).toMatchObject({ truncate: true });
  });

  it("prompt is put before each text on the client; precision and ranges quantize as a local embedder does", async () => {
    expect(await remote.embed(texts, { prompt: "passage: ", normalize: true })).toEqual(
      await local.embed(texts, { promptName: "passage", normalize: true }),
    );
    expect((lastBody() as { inputs: string[] }).inputs[0]).toBe(`passage: ${texts[0]}`);
    const ranges = calibrationRanges(await local.embed(texts, { normalize: true }));
    for (const precision of ["int8", "uint8", "binary", "ubinary"] as const) {
      expect(await remote.embed(texts, { normalize: true, precision, ranges })).toEqual(
        await local.embed(texts, { normalize: true, precision, ranges }),
      );
    }
  });

  it("batchSize splits the texts into requests, and the vectors stay in input order", async () => {
    const before = tei.received.length;
    const got = await remote.embed(texts, { batchSize: 3, normalize: true });
    expect(tei.received.length - before).toBe(2);
    expect(got).toEqual(await local.embed(texts, { normalize: true }));
    expect(await remote.embed([])).toEqual([]);
  });

  it("options TEI cannot honour are InputErrors naming them, before any request", async () => {
    const before = tei.received.length;
    for (const [options, name] of [
      [{ pooling: "cls" }, "pooling"],
      [{ maxLength: 16 }, "maxLength"],
      [{ stride: 4 }, "stride"],
      [{ truncation: "window" }, 'truncation: "window"'],
    ] as const) {
      const error = await remote.embed(texts, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(name);
    }
    await expect(remote.embed(texts, { dimension: 8 } as never)).rejects.toThrow(/no option "dimension"/);
    await expect(remote.embed(["ok", ""])).rejects.toThrow(InputError);
    expect(tei.received.length).toBe(before);
  });
});

describe("a TEI remote reranker scores as the cross-encoder does", () => {
  it("rerank() with the remote handle equals the local reranker (sigmoid; raw_scores for activation none)", async () => {
    const docs = [...texts, "A dog runs in the snow."];
    expect(await rerank(query, docs, { model: remoteRanker })).toEqual(await cross.rerank(query, docs, { activation: "sigmoid" }));
    expect(lastBody()).toEqual({ query, texts: docs, truncate: true, return_text: false });
    const raw = await remoteRanker.rerank(query, docs, { activation: "none", topK: 2, returnDocuments: true });
    expect(raw).toEqual(await cross.rerank(query, docs, { activation: "none", topK: 2, returnDocuments: true }));
    expect(lastBody()).toMatchObject({ raw_scores: true });
    const chunked = await remoteRanker.rerank(query, docs, { batchSize: 2 });
    expect(chunked).toEqual(await cross.rerank(query, docs, { activation: "sigmoid" }));
  });

  it("maxLength is refused; no documents is []", async () => {
    await expect(remoteRanker.rerank(query, texts, { maxLength: 32 })).rejects.toThrow(/maxLength/);
    expect(await remoteRanker.rerank(query, [])).toEqual([]);
  });
});

describe("HTTP errors, broken answers, aborts and timeouts are typed errors", () => {
  const cases: Array<[string, Reply, abstract new (...args: never[]) => Error, RegExp]> = [
    ["422 validation", teiError(422, "Input validation error: `inputs` cannot be empty", "Validation"), InputError, /cannot be empty/],
    ["413 too large", teiError(413, "batch size 64 > maximum allowed batch size 32", "Validation"), InputError, /batch size/],
    ["404", { status: 404, body: "" }, ModelNotFoundError, /404/],
    ["424 backend", teiError(424, "model failed", "Backend"), SessionError, /model failed/],
    ["500 text", { status: 500, body: "Internal Server Error" }, SessionError, /Internal Server Error/],
    ["malformed JSON", { status: 200, body: "[[0.1, 0.2]" }, SessionError, /not JSON/],
    ["wrong vector count", { status: 200, body: [[0.1, 0.2]] }, SessionError, /1 embeddings for 2 texts/],
    ["ragged vectors", { status: 200, body: [[0.1, 0.2], [0.1]] }, SessionError, /1 values where the first has 2/],
    [
      "non-numbers",
      {
        status: 200,
        body: [
          [0.1, "x"],
          [0.1, 0.2],
        ],
      },
      SessionError,
      /"x"|a string/,
    ],
    ["an object", { status: 200, body: { embeddings: [] } }, SessionError, /instead of an array/],
  ];
  it.each(cases)("%s", async (_, reply, type, message) => {
    tei.next.push(reply);
    const error = await remote.embed(["a", "b"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(String((error as Error).message)).toMatch(message);
  });

  it("429 is an OverloadedError carrying Retry-After", async () => {
    tei.next.push({ ...teiError(429, "Model is overloaded", "Overloaded"), headers: { "retry-after": "2" } });
    const error = await remote.embed(["a"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverloadedError);
    expect((error as OverloadedError).retryAfterMs).toBe(2000);
  });

  it("rerank answers with a wrong count or a repeated index are SessionErrors", async () => {
    tei.next.push({ status: 200, body: [{ index: 0, score: 0.5 }] });
    await expect(remoteRanker.rerank(query, ["a", "b"])).rejects.toThrow(/1 ranks for 2 texts/);
    tei.next.push({
      status: 200,
      body: [
        { index: 0, score: 0.5 },
        { index: 0, score: 0.4 },
      ],
    });
    await expect(remoteRanker.rerank(query, ["a", "b"])).rejects.toThrow(SessionError);
  });

  it("aborting the signal mid-request is an AbortError; timeoutMs is a SessionError; an unreachable server too", async () => {
    tei.next.push({ status: 200, body: [[1]], delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(remote.embed(["a"], { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    await expect(remote.embed(["a"], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);

    tei.next.push({ status: 200, body: [[1]], delayMs: 2000 });
    const impatient = createRemoteEmbedder({ kind: "tei", baseURL: tei.url, timeoutMs: 50 });
    await expect(impatient.embed(["a"])).rejects.toThrow(/did not answer within 50 ms/);

    const nowhere = createRemoteEmbedder({ kind: "tei", baseURL: "http://127.0.0.1:9" });
    await expect(nowhere.embed(["a"])).rejects.toThrow(/Could not reach/);
  });

  it("a disposed handle is refused; bad construction options are InputErrors", async () => {
    const handle = createRemoteEmbedder({ kind: "tei", baseURL: tei.url });
    await handle.dispose();
    expect(handle.disposed).toBe(true);
    await expect(handle.embed(["a"])).rejects.toBeInstanceOf(DisposedError);
    await expect(handle.embed([])).rejects.toBeInstanceOf(DisposedError);
    expect(() => createRemoteEmbedder({ kind: "tgi" as never, baseURL: tei.url })).toThrow(/kind must be "openai" or "tei"/);
    expect(() => createRemoteEmbedder({ kind: "tei", baseURL: "localhost:8080" })).toThrow(/http\(s\) URL/);
    expect(() => createRemoteReranker({ kind: "tei", baseURL: tei.url, timeout: 5 } as never)).toThrow(/no option "timeout"/);
    expect(() => createRemoteReranker({ kind: "tei", baseURL: tei.url, model: "bge-reranker-base" })).toThrow(
      /TEI server serves one model/,
    );
  });

  it("apiKey and headers are sent", async () => {
    const keyed = createRemoteEmbedder({ kind: "tei", baseURL: tei.url, apiKey: "k1", headers: { "x-tenant": "t" } });
    await keyed.embed(["a"]);
    const { headers } = tei.received.at(-1) as { headers: Record<string, string> };
    expect([headers.authorization, headers["x-tenant"]]).toEqual(["Bearer k1", "t"]);
  });
});
