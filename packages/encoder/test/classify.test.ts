import { fixture, SHARED_MISSING, sharedDataDir, sst2 } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Classifier, classify, createClassifier, disposeCachedHandles } from "../src/index.js";
import { byLabel, expectScoresClose, mixedLengthSentences, oraclePipeline } from "./support/helpers.js";
import { patchedFixture } from "./support/keyword-models.js";

const model = fixture("bert-seq-cls");
const texts = [
  "I love this movie!",
  "Terrible, boring and way too long.",
  "ok",
  "An intelligent, moving and beautifully shot film about grief — with a twist nobody sees coming 😀.",
];

let classifier: Classifier;
beforeAll(async () => {
  classifier = await createClassifier(model, { load: { threads: 1 } });
});
afterAll(async () => {
  await classifier.dispose();
  await disposeCachedHandles();
});

describe("classification matches transformers.js on the bert-seq-cls fixture", () => {
  it("labels and scores of every label agree within 1e-4, best first", async () => {
    const oracle = await oraclePipeline("text-classification", "bert-seq-cls");
    const got = await classify(texts, { model, topK: null });
    for (const [i, text] of texts.entries()) {
      const want = (await oracle(text, { top_k: null })) as Array<{ label: string; score: number }>;
      const mine = got[i] ?? [];
      expectScoresClose(byLabel(mine), byLabel(want));
      expect(mine.map((r) => r.label)).toEqual(want.map((r) => r.label));
      expect(mine[0]?.score).toBeGreaterThanOrEqual(mine[1]?.score ?? 0);
    }
  });

  it("the default topK 1 returns the best label only, as the oracle's default", async () => {
    const oracle = await oraclePipeline("text-classification", "bert-seq-cls");
    const [best, ...rest] = await classifier.classify(texts[0] as string);
    const [want] = (await oracle(texts[0] as string)) as Array<{ label: string; score: number }>;
    expect(rest).toEqual([]);
    expect(best?.label).toBe(want?.label);
    expect(Math.abs((best?.score ?? 0) - (want?.score ?? 0))).toBeLessThan(1e-4);
  });
});

describe("score functions", () => {
  it("softmax scores of all labels sum to 1", async () => {
    const all = await classifier.classify("fine", { topK: null });
    expect(all.reduce((s, r) => s + r.score, 0)).toBeCloseTo(1, 10);
  });

  it("a multi_label_classification config switches to independent sigmoids", async () => {
    const multi = patchedFixture("bert-seq-cls", { problem_type: "multi_label_classification" });
    const logits = await classifier.classify("fine", { topK: null, functionToApply: "none" });
    const got = await classify("fine", { model: multi, topK: null });
    for (const r of got) {
      const raw = logits.find((l) => l.label === r.label)?.score as number;
      expect(r.score).toBeCloseTo(1 / (1 + Math.exp(-raw)), 12);
    }
    expect(got.reduce((s, r) => s + r.score, 0)).not.toBeCloseTo(1, 3);
  });

  it("functionToApply overrides the default", async () => {
    const raw = byLabel(await classifier.classify("fine", { topK: null, functionToApply: "none" }));
    const sig = byLabel(await classifier.classify("fine", { topK: null, functionToApply: "sigmoid" }));
    for (const label of Object.keys(raw)) expect(sig[label]).toBeCloseTo(1 / (1 + Math.exp(-(raw[label] as number))), 12);
  });
});

describe("batches", () => {
  it("a batch of 64 mixed-length sentences returns exactly what 64 single calls return", async () => {
    const sentences = mixedLengthSentences(64);
    const batched = await classifier.classify(sentences, { topK: null, batchSize: 16 });
    const single = await Promise.all(sentences.map((s) => classifier.classify(s, { topK: null })));
    expect(batched).toHaveLength(64);
    for (let i = 0; i < 64; i++) {
      expect(batched[i]).toEqual(single[i]);
    }
  });

  it("results come back in input order whatever the bucketing by length", async () => {
    const sentences = mixedLengthSentences(20).reverse();
    const all = await classifier.classify(sentences, { topK: null, batchSize: 3 });
    const one = await classifier.classify(sentences[7] as string, { topK: null });
    expect(all[7]).toEqual(one);
  });

  it("SST-2 dev sentences: 64 in one call equal 64 single calls", async (ctx) => {
    const data = sharedDataDir();
    if (!data) return ctx.skip(SHARED_MISSING);
    const sentences = sst2(data, "dev")
      .slice(0, 64)
      .map((r) => r.text);
    const batched = await classifier.classify(sentences, { topK: null });
    for (const [i, s] of sentences.entries()) {
      const single = await classifier.classify(s, { topK: null });
      expectScoresClose(byLabel(batched[i] ?? []), byLabel(single), 1e-6);
    }
  });
});

describe("long inputs", () => {
  const long = Array.from({ length: 200 }, (_, i) => `Sentence ${i} of a very long and rather repetitive review.`).join(" ");

  it("truncates by default: a long text scores as its first maxLength tokens", async () => {
    const full = await classifier.classify(long, { topK: null });
    const tokens = await classifier.model.tokenizer.encode(long, { maxLength: 512 });
    const prefix = await classifier.model.tokenizer.decode(tokens.ids);
    expect((await classifier.model.tokenizer.encode(prefix)).ids).toEqual(tokens.ids);
    expectScoresClose(byLabel(full), byLabel(await classifier.classify(prefix, { topK: null })), 1e-6);
  });

  it('truncation: "window" averages the scores of overlapping windows over the whole text', async () => {
    const windows = await classifier.model.tokenizer.encodeWindows(long, { maxLength: 64, stride: 16 });
    const perWindow = await Promise.all(
      windows.map((w) => classifier.model.tokenizer.decode(w.ids).then((t) => classifier.classify(t, { topK: null, maxLength: 64 }))),
    );
    const got = byLabel(await classifier.classify(long, { topK: null, truncation: "window", maxLength: 64, stride: 16 }));
    const want: Record<string, number> = {};
    for (const scores of perWindow) for (const r of scores) want[r.label] = (want[r.label] ?? 0) + r.score / perWindow.length;
    expect(windows.length).toBeGreaterThan(10);
    expectScoresClose(got, want, 1e-3);
    const truncated = byLabel(await classifier.classify(long, { topK: null, maxLength: 64 }));
    expect(Math.abs((got.POSITIVE as number) - (truncated.POSITIVE as number))).toBeGreaterThan(1e-4);
  });
});
