import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "@proj/core";
import { fixture, loadOracle } from "@proj/testing";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReranker, disposeCachedHandles, type Reranker, rerank } from "../src/index.js";

const model = fixture("bert-cross-encoder");
const query = "How fast can a greyhound run?";
const documents = [
  "Greyhounds are the fastest dogs, reaching 70 km/h.",
  "Cats sleep for most of the day.",
  "A greyhound can run very fast over short distances, but it tires quickly and prefers to spend the rest of the day asleep on a sofa.",
  "ok",
  "Paris is the capital of France.",
];
const tmp = mkdtempSync(join(tmpdir(), "rerank-test-"));
let reranker: Reranker;
let session: ort.InferenceSession;

beforeAll(async () => {
  reranker = await createReranker(model, { load: { threads: 1 } });
  session = await ort.InferenceSession.create(join(model, "onnx", "model.onnx"));
});
afterAll(async () => {
  await reranker.dispose();
  await session.release();
  await disposeCachedHandles();
  rmSync(tmp, { recursive: true, force: true });
});

/** The logit of one (query, document) pair: transformers.js's tokenizer, the ONNX file run here alone, no padding. */
async function handLogit(doc: string, maxLength?: number): Promise<number> {
  const oracle = await loadOracle();
  const tokenizer = await oracle.AutoTokenizer.from_pretrained(model);
  const encoded = tokenizer(query, {
    text_pair: doc,
    ...(maxLength ? { truncation: true, max_length: maxLength } : {}),
  }) as Record<string, { data: BigInt64Array; dims: number[] }>;
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of ["input_ids", "attention_mask", "token_type_ids"]) {
    const t = encoded[name] as { data: BigInt64Array; dims: number[] };
    feeds[name] = new ort.Tensor("int64", t.data, t.dims);
  }
  const out = await session.run(feeds);
  return ((out.logits as ort.Tensor).data as Float32Array)[0] as number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe("rerank() equals a hand computation on the bert-cross-encoder fixture (num_labels 1)", () => {
  it("scores are the sigmoid of each pair's logit (sentence-transformers' default for one label), best first", async () => {
    expect(reranker.activation).toBe("sigmoid");
    const got = await rerank(query, documents, { model, batchSize: 2 });
    const want = await Promise.all(documents.map(async (d, index) => ({ index, score: sigmoid(await handLogit(d)) })));
    want.sort((a, b) => b.score - a.score || a.index - b.index);
    expect(got.map((r) => r.index)).toEqual(want.map((r) => r.index));
    got.forEach((r, k) => {
      expect(Math.abs(r.score - (want[k]?.score as number))).toBeLessThan(1e-5);
    });
  });

  it('activation "none" returns raw logits; topK and returnDocuments shape the result', async () => {
    const raw = await reranker.rerank(query, documents, { activation: "none", topK: 2, returnDocuments: true });
    expect(raw).toHaveLength(2);
    for (const r of raw) {
      expect(r.document).toBe(documents[r.index]);
      expect(Math.abs(r.score - (await handLogit(documents[r.index] as string)))).toBeLessThan(1e-5);
    }
    const plain = await reranker.rerank(query, documents);
    expect(plain).toHaveLength(documents.length);
    expect(plain[0]).not.toHaveProperty("document");
  });

  it("a long pair loses the end of the document (only_second), never the query", async () => {
    const [got] = await reranker.rerank(query, [documents[2] as string], { maxLength: 16, activation: "none" });
    const oracle = await loadOracle();
    const tokenizer = await oracle.AutoTokenizer.from_pretrained(model);
    const queryIds = (tokenizer(query) as { input_ids: { dims: number[] } }).input_ids.dims[1] as number;
    expect(queryIds).toBeLessThan(16);
    // The pair built by hand: [CLS] query [SEP] + the document's first tokens + [SEP], 16 tokens in all.
    const docIds = Array.from(
      (tokenizer(documents[2] as string, { add_special_tokens: false }) as { input_ids: { data: BigInt64Array } }).input_ids.data,
    );
    const qIds = Array.from((tokenizer(query) as { input_ids: { data: BigInt64Array } }).input_ids.data);
    const ids = [...qIds, ...docIds.slice(0, 16 - qIds.length - 1), 102n];
    const types = ids.map((_, i) => (i < qIds.length ? 0n : 1n));
    const t = (v: bigint[]) => new ort.Tensor("int64", BigInt64Array.from(v), [1, v.length]);
    const out = await session.run({ input_ids: t(ids), attention_mask: t(ids.map(() => 1n)), token_type_ids: t(types) });
    expect(Math.abs((got?.score as number) - (((out.logits as ort.Tensor).data as Float32Array)[0] as number))).toBeLessThan(1e-5);
  });

  it("a config naming Identity (sbert_ce_default_activation_function) makes raw logits the default", async () => {
    const dir = join(tmp, "identity");
    cpSync(model, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, unknown>;
    config.sbert_ce_default_activation_function = "torch.nn.modules.linear.Identity";
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));
    const identity = await createReranker(dir);
    expect(identity.activation).toBe("none");
    const [best] = await identity.rerank(query, [documents[0] as string]);
    expect(Math.abs((best?.score as number) - (await handLogit(documents[0] as string)))).toBeLessThan(1e-5);
    await identity.dispose();
  });

  it("hostile input: no documents gives []; empty texts, non-arrays, an NLI model and a query too long are refused", async () => {
    expect(await reranker.rerank(query, [])).toEqual([]);
    await expect(rerank("", documents, { model })).rejects.toThrow(/empty string as query/);
    await expect(reranker.rerank(query, ["ok", ""])).rejects.toThrow(/documents\[1\]/);
    await expect(reranker.rerank(query, "doc" as never)).rejects.toThrow(/array of strings/);
    await expect(reranker.rerank(query, documents, { topK: 0 })).rejects.toThrow(InputError);
    await expect(reranker.rerank("word ".repeat(20), documents, { maxLength: 8 })).rejects.toThrow(/never the query/);
    await expect(createReranker(fixture("bert-nli"))).rejects.toThrow(/3 labels; a cross-encoder/);
  });
});
