import { InputError, SessionError } from "@proj/core";
import {
  classify,
  createEmbedder,
  createRemoteClassifier,
  createRemoteEmbedder,
  createRemoteReranker,
  disposeCachedHandles,
  embed,
  rerank,
} from "@proj/encoder";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, type Running, start } from "./helpers.js";

// proj serve in Text Embeddings Inference's wire format (router/src/http/types.rs), checked with the SDK's own TEI
// clients (createRemoteEmbedder/Reranker/Classifier, kind "tei") against embed()/rerank()/classify() in this process
// on the same fixtures, and with raw requests for the shapes and errors those clients do not exercise.
const texts = ["A man is playing a guitar.", "ok", "Two dogs run through a snowy field.", "The quick brown fox jumps over the lazy dog."];
const query = "dogs running in snow";
const LOAD = { load: { threads: 1 } };
const long = Array.from({ length: 600 }, (_, i) => `word${i}`).join(" ");

let run: Running;
let classifyOnly: Running;
beforeAll(async () => {
  [run, classifyOnly] = await Promise.all([
    start({
      model: undefined,
      tasks: { embed: fixture("bert-embed"), rerank: fixture("bert-cross-encoder"), classify: fixture("bert-seq-cls") },
    }),
    start({ model: undefined, tasks: { classify: fixture("bert-seq-cls") } }),
  ]);
});
afterAll(async () => {
  await Promise.all([run?.server.close(), classifyOnly?.server.close()]);
  await disposeCachedHandles();
});

/** The largest absolute difference between two lists of vectors of the same shape. */
function gap(got: ArrayLike<number>[], want: ArrayLike<number>[]): number {
  expect(got.map((v) => v.length)).toEqual(want.map((v) => v.length));
  return Math.max(...got.flatMap((v, i) => Array.from(v, (x, d) => Math.abs(x - ((want[i] as ArrayLike<number>)[d] as number)))));
}

const tei = (path: string, body: unknown) => post(`${run.url}/${path}`, body);

describe("TEI clients pointed at proj serve get what the task functions give in process", () => {
  it("POST /embed: createRemoteEmbedder({ kind: 'tei' }) returns embed()'s vectors within 1e-5, options mapped", async () => {
    const remote = createRemoteEmbedder({ kind: "tei", baseURL: run.url });
    const model = { model: fixture("bert-embed"), ...LOAD };
    // TEI normalizes unless told not to.
    expect(gap(await embed(texts, { model: remote }), await embed(texts, { ...model, normalize: true }))).toBeLessThan(1e-5);
    for (const options of [{ normalize: false }, { dimensions: 4, normalize: true }, { promptName: "query" }] as const) {
      const want = await embed(texts, { ...model, normalize: true, ...options });
      expect(gap(await remote.embed(texts, options), want)).toBeLessThan(1e-5);
    }
    const cut = await remote.embed([long], { truncation: "truncate" });
    expect(gap(cut, await embed([long], { ...model, normalize: true, truncation: "truncate" }))).toBeLessThan(1e-5);
    await expect(remote.embed([long])).rejects.toBeInstanceOf(InputError);
  });

  it("POST /rerank: createRemoteReranker({ kind: 'tei' }) ranks as rerank() within 1e-5 (sigmoid, or logits with raw_scores)", async () => {
    const remote = createRemoteReranker({ kind: "tei", baseURL: run.url });
    const model = { model: fixture("bert-cross-encoder"), ...LOAD };
    for (const options of [{ activation: "sigmoid" }, { activation: "none", topK: 2, returnDocuments: true }] as const) {
      const got = await rerank(query, texts, { model: remote, ...options });
      const want = await rerank(query, texts, { ...model, ...options });
      expect(got.map(({ score, ...rest }) => rest)).toEqual(want.map(({ score, ...rest }) => rest));
      expect(gap([got.map((r) => r.score)], [want.map((r) => r.score)])).toBeLessThan(1e-5);
    }
    // The wire: every text, best first, text only when asked for.
    const { status, json } = await tei("rerank", { query, texts, return_text: true });
    expect(status).toBe(200);
    const ranks = json as unknown as Array<{ index: number; text: string; score: number }>;
    expect(ranks.map((r) => r.text)).toEqual(ranks.map((r) => texts[r.index]));
    expect(ranks.map((r) => r.score)).toEqual([...ranks.map((r) => r.score)].sort((a, b) => b - a));
    expect(Object.keys(((await tei("rerank", { query, texts })).json as unknown as object[])[0] as object)).toEqual(["index", "score"]);
  });

  it("POST /predict: createRemoteClassifier({ kind: 'tei' }) classifies as classify() within 1e-5", async () => {
    const remote = createRemoteClassifier({ kind: "tei", baseURL: run.url });
    const model = { model: fixture("bert-seq-cls"), ...LOAD };
    for (const options of [{}, { topK: null }, { topK: null, functionToApply: "none" }, { functionToApply: "sigmoid", topK: 2 }] as const) {
      const got = await classify(texts, { model: remote, ...options });
      const want = await classify(texts, { ...model, ...options });
      expect(got.map((labels) => labels.map((l) => l.label))).toEqual(want.map((labels) => labels.map((l) => l.label)));
      expect(
        gap(
          got.map((labels) => labels.map((l) => l.score)),
          want.map((labels) => labels.map((l) => l.score)),
        ),
      ).toBeLessThan(1e-5);
    }
  });

  it("POST /predict reads TEI's input shapes: a text or [text] is one list of labels, [[text], ...] one per text", async () => {
    const want = await classify(texts, { model: fixture("bert-seq-cls"), ...LOAD, topK: null });
    const one = await tei("predict", { inputs: texts[0] });
    expect(one.status).toBe(200);
    expect((one.json as unknown as Array<{ label: string }>).map((l) => l.label)).toEqual(want[0]?.map((l) => l.label));
    expect((await tei("predict", { inputs: [texts[0]] })).json).toEqual(one.json);
    const batch = await tei("predict", { inputs: texts.map((t) => [t]), raw_scores: true });
    const logits = await classify(texts, { model: fixture("bert-seq-cls"), ...LOAD, topK: null, functionToApply: "none" });
    const rows = batch.json as unknown as Array<Array<{ label: string; score: number }>>;
    expect(rows.map((labels) => labels.map((l) => l.label))).toEqual(logits.map((labels) => labels.map((l) => l.label)));
    expect(
      gap(
        rows.map((labels) => labels.map((l) => l.score)),
        logits.map((labels) => labels.map((l) => l.score)),
      ),
    ).toBeLessThan(1e-5);
  });
});

describe("GET /info describes the served model as TEI does", () => {
  it("the embedding model first; a classifier's labels on a server that serves only one", async () => {
    const local = await createEmbedder(fixture("bert-embed"), LOAD);
    const response = await fetch(`${run.url}/info`);
    expect(response.status).toBe(200);
    const info = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual(
      [
        "model_id",
        "model_sha",
        "model_dtype",
        "served_model_name",
        "model_type",
        "max_concurrent_requests",
        "max_input_length",
        "max_batch_tokens",
        "max_batch_requests",
        "max_client_batch_size",
        "auto_truncate",
        "tokenization_workers",
        "version",
        "sha",
        "docker_label",
      ].sort(),
    );
    expect(info).toMatchObject({
      model_id: "bert-embed",
      served_model_name: "bert-embed",
      model_dtype: "float32",
      model_type: { embedding: { pooling: "mean" } },
      max_input_length: local.maxLength,
      max_client_batch_size: 256,
      auto_truncate: false,
    });
    await local.dispose();
    const other = (await (await fetch(`${classifyOnly.url}/info`)).json()) as Record<string, unknown>;
    expect(other).toMatchObject({
      model_id: "bert-seq-cls",
      model_type: { classifier: { id2label: { 0: "NEGATIVE", 1: "POSITIVE" }, label2id: { NEGATIVE: 0, POSITIVE: 1 } } },
      auto_truncate: true,
    });
  });
});

describe("bad requests are answered in TEI's error shape and statuses", () => {
  const cases: Array<[string, string, unknown, number, string, RegExp]> = [
    ["no texts", "embed", { inputs: [] }, 400, "Empty", /`inputs` cannot be empty/],
    ["an empty text", "predict", { inputs: "" }, 400, "Empty", /`inputs` cannot be empty/],
    ["no documents", "rerank", { query, texts: [] }, 400, "Empty", /`texts` cannot be empty/],
    ["a missing field", "rerank", { texts }, 422, "Validation", /"query"/],
    ["a wrong type", "embed", { inputs: "a", normalize: "yes" }, 422, "Validation", /"normalize" must be true or false/],
    ["a field TEI does not define", "embed", { inputs: "a", normalise: true }, 422, "Validation", /did you mean "normalize"/],
    ["a model field (TEI serves one model)", "predict", { inputs: "a", model: "x" }, 422, "Validation", /no field "model"/],
    ["token ids", "embed", { inputs: [[101, 102]] }, 422, "Validation", /token ids/],
    ["a text longer than the model", "embed", { inputs: [long] }, 422, "Validation", /tokens/],
    [
      "too many texts",
      "embed",
      { inputs: Array.from({ length: 257 }, () => "a") },
      422,
      "Validation",
      /batch size 257 > maximum allowed batch size 256/,
    ],
    ["a text pair to the classifier", "predict", { inputs: ["a", "b"] }, 422, "Validation", /text pair/],
    ["a malformed batch item", "predict", { inputs: [["a", "b", "c"]] }, 422, "Validation", /\[\[text\], \.\.\.\]/],
    ["truncate: false where long inputs are always cut", "rerank", { query, texts, truncate: false }, 422, "Validation", /always cuts/],
    ["left truncation", "embed", { inputs: "a", truncation_direction: "left" }, 422, "Validation", /"left" is not supported/],
    ["a body that is not JSON", "embed", "{ inputs", 422, "Validation", /JSON/],
  ];
  it.each(cases)("%s", async (_, path, body, status, type, message) => {
    const answer = await tei(path, body);
    expect({ status: answer.status, error_type: answer.json.error_type }).toEqual({ status, error_type: type });
    expect(Object.keys(answer.json).sort()).toEqual(["error", "error_type"]);
    expect(String(answer.json.error)).toMatch(message);
  });

  it("a task with no model here is a 424 Backend, which the TEI clients see as a SessionError", async () => {
    const answer = await post(`${classifyOnly.url}/embed`, { inputs: "a" });
    expect(answer.status).toBe(424);
    expect(answer.json).toMatchObject({ error_type: "Backend", error: expect.stringMatching(/No model serves embed/) });
    const remote = createRemoteEmbedder({ kind: "tei", baseURL: classifyOnly.url });
    await expect(remote.embed(["a"])).rejects.toBeInstanceOf(SessionError);
    await expect(createRemoteClassifier({ kind: "tei", baseURL: run.url }).classify([""])).rejects.toBeInstanceOf(InputError);
  });

  it("the OpenAI-shaped routes keep their own error shape", async () => {
    const answer = await post(`${run.url}/v1/embed`, { input: [] });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ type: "invalid_request_error" });
  });
});

describe("the TEI routes sit behind the server's API keys like every other route", () => {
  it("no key is a 401; a TEI client with apiKey gets its vectors", async () => {
    const keyed = await start({ model: undefined, tasks: { embed: fixture("bert-embed") }, apiKeys: ["k1"] });
    try {
      expect((await post(`${keyed.url}/embed`, { inputs: "a" })).status).toBe(401);
      expect((await fetch(`${keyed.url}/info`)).status).toBe(401);
      const remote = createRemoteEmbedder({ kind: "tei", baseURL: keyed.url, apiKey: "k1" });
      const want = await embed(texts, { model: fixture("bert-embed"), ...LOAD, normalize: true });
      expect(gap(await remote.embed(texts), want)).toBeLessThan(1e-5);
    } finally {
      await keyed.server.close();
    }
  });
});
