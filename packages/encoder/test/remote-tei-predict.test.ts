import { AbortError, DisposedError, InputError, ModelNotFoundError, OverloadedError, SessionError } from "@proj/core";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Classifier,
  classify,
  createClassifier,
  createRemoteClassifier,
  disposeCachedHandles,
  type RemoteClassifier,
} from "../src/index.js";
import type { Loopback, Reply } from "./support/loopback.js";
import { startTei, teiError } from "./support/tei.js";

// createRemoteClassifier against a loopback server speaking TEI's POST /predict (support/tei.ts), backed by a local
// classifier on the bert-seq-cls fixture: the remote handle must give what the local one gives.
const texts = ["I love this movie.", "ok", "What a terrible, boring film.", "The quick brown fox jumps over the lazy dog."];

let local: Classifier;
let tei: Loopback;
let remote: RemoteClassifier;

beforeAll(async () => {
  local = await createClassifier(fixture("bert-seq-cls"), { load: { threads: 1 } });
  tei = await startTei({ classifier: local });
  remote = createRemoteClassifier({ kind: "tei", baseURL: `${tei.url}/` });
});
afterAll(async () => {
  await tei.close();
  await Promise.all([local.dispose(), disposeCachedHandles()]);
});

const lastBody = (): unknown => tei.received.at(-1)?.body;

describe("a TEI remote classifier returns what the model classifies", () => {
  it("classify() with the remote handle as model equals the local classifier; texts go as a batch of [text]", async () => {
    expect(await classify(texts, { model: remote })).toEqual(await local.classify(texts));
    expect(lastBody()).toEqual({ inputs: texts.map((t) => [t]), truncate: true, raw_scores: false });
    expect(await remote.classify(texts[0] as string, { topK: null })).toEqual(await local.classify(texts[0] as string, { topK: null }));
    expect(await remote.classify(texts, { topK: 2 })).toEqual(await local.classify(texts, { topK: 2 }));
  });

  it("functionToApply asks for raw_scores and applies the function here, as the local classifier does", async () => {
    for (const functionToApply of ["none", "sigmoid", "softmax"] as const) {
      const got = await remote.classify(texts, { functionToApply, topK: null });
      const want = await local.classify(texts, { functionToApply, topK: null });
      expect(got.map((labels) => labels.map((l) => l.label))).toEqual(want.map((labels) => labels.map((l) => l.label)));
      const gap = Math.max(...got.flat().map((l, i) => Math.abs(l.score - (want.flat()[i] as { score: number }).score)));
      expect(gap).toBeLessThan(1e-6);
      expect(lastBody()).toMatchObject({ raw_scores: true });
    }
  });

  it("batchSize splits the texts into requests, in input order", async () => {
    const before = tei.received.length;
    expect(await remote.classify(texts, { batchSize: 3, topK: null })).toEqual(await local.classify(texts, { topK: null }));
    expect(tei.received.length - before).toBe(2);
  });

  it("options TEI cannot honour are InputErrors naming them, before any request", async () => {
    const before = tei.received.length;
    for (const [options, name] of [
      [{ truncation: "window" }, 'truncation: "window"'],
      [{ maxLength: 16 }, "maxLength"],
      [{ stride: 4 }, "stride"],
      [{ topk: 2 }, 'no option "topk"'],
      [{ functionToApply: "relu" }, "functionToApply"],
      [{ batchSize: 0 }, "batchSize"],
    ] as const) {
      const error = await remote.classify(texts, options as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(name);
    }
    await expect(remote.classify(["ok", " "])).rejects.toThrow(InputError);
    await expect(remote.classify([])).rejects.toThrow(InputError);
    expect(tei.received.length).toBe(before);
  });
});

describe("HTTP errors, broken answers, aborts and timeouts are typed errors", () => {
  const cases: Array<[string, Reply, abstract new (...args: never[]) => Error, RegExp]> = [
    ["422 validation", teiError(422, "Input validation error: `inputs` cannot be empty", "Validation"), InputError, /cannot be empty/],
    ["413 too large", teiError(413, "batch size 64 > maximum allowed batch size 32", "Validation"), InputError, /batch size/],
    ["400 empty", teiError(400, "`inputs` cannot be empty", "Empty"), InputError, /cannot be empty/],
    ["404", { status: 404, body: "" }, ModelNotFoundError, /404/],
    ["424 not a classifier", teiError(424, "model is not a classifier", "Backend"), SessionError, /not a classifier/],
    ["500 text", { status: 500, body: "Internal Server Error" }, SessionError, /Internal Server Error/],
    ["malformed JSON", { status: 200, body: "[[{" }, SessionError, /not JSON/],
    ["not nested (a single text's answer)", { status: 200, body: [{ label: "A", score: 1 }] }, SessionError, /1 predictions for 2/],
    ["wrong count", { status: 200, body: [[{ label: "A", score: 1 }]] }, SessionError, /1 predictions for 2 texts/],
    ["an empty label list", { status: 200, body: [[], [{ label: "A", score: 1 }]] }, SessionError, /not a list of labels/],
    [
      "a label that is not a string",
      { status: 200, body: [[{ label: 1, score: 1 }], [{ label: "A", score: 1 }]] },
      SessionError,
      /label a number/,
    ],
    [
      "a score that is not a number",
      { status: 200, body: [[{ label: "A", score: "high" }], [{ label: "A", score: 1 }]] },
      SessionError,
      /score/,
    ],
    ["an object", { status: 200, body: { predictions: [] } }, SessionError, /instead of an array/],
  ];
  it.each(cases)("%s", async (_, reply, type, message) => {
    tei.next.push(reply);
    const error = await remote.classify(["a", "b"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(String((error as Error).message)).toMatch(message);
  });

  it("429 is an OverloadedError carrying Retry-After", async () => {
    tei.next.push({ ...teiError(429, "Model is overloaded", "Overloaded"), headers: { "retry-after": "3" } });
    const error = await remote.classify(["a"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverloadedError);
    expect((error as OverloadedError).retryAfterMs).toBe(3000);
  });

  it("aborting the signal mid-request is an AbortError; timeoutMs is a SessionError; an unreachable server too", async () => {
    tei.next.push({ status: 200, body: [[{ label: "A", score: 1 }]], delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(remote.classify(["a"], { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    await expect(remote.classify(["a"], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);

    tei.next.push({ status: 200, body: [[{ label: "A", score: 1 }]], delayMs: 2000 });
    const impatient = createRemoteClassifier({ kind: "tei", baseURL: tei.url, timeoutMs: 50 });
    await expect(impatient.classify(["a"])).rejects.toThrow(/did not answer within 50 ms/);

    const nowhere = createRemoteClassifier({ kind: "tei", baseURL: "http://127.0.0.1:9" });
    await expect(nowhere.classify(["a"])).rejects.toThrow(/Could not reach/);
  });

  it("a disposed handle is refused; bad construction options are InputErrors; apiKey is sent", async () => {
    const handle = createRemoteClassifier({ kind: "tei", baseURL: tei.url, apiKey: "k1" });
    await handle.classify("a");
    expect(tei.received.at(-1)?.headers.authorization).toBe("Bearer k1");
    await handle.dispose();
    expect(handle.disposed).toBe(true);
    await expect(handle.classify(["a"])).rejects.toBeInstanceOf(DisposedError);
    expect(() => createRemoteClassifier({ kind: "openai" as never, baseURL: tei.url })).toThrow(/kind must be "tei"/);
    expect(() => createRemoteClassifier({ kind: "tei", baseURL: "localhost:8080" })).toThrow(/http\(s\) URL/);
    expect(() => createRemoteClassifier({ kind: "tei", baseURL: tei.url, model: "sst2" })).toThrow(/TEI server serves one model/);
    expect(() => createRemoteClassifier({ kind: "tei", baseURL: tei.url, timeout: 5 } as never)).toThrow(/no option "timeout"/);
  });
});
