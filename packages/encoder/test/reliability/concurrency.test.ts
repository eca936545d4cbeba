import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbortError } from "@proj/core";
import { openSessionCount } from "@proj/core/internal";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Classifier,
  classify,
  createClassifier,
  createFillMask,
  createQuestionAnswerer,
  createTokenClassifier,
  disposeCachedHandles,
  type FillMasker,
  ner,
  type QuestionAnswerer,
  type TokenClassifier,
} from "../../src/index.js";
import { mixedLengthSentences } from "../support/helpers.js";

/**
 * 64 concurrent calls on one handle give exactly the results of the same calls made one after another, for every
 * task and mixed; concurrent first uses of a model through the one-shot functions load it once.
 */

let classifier: Classifier;
let recognizer: TokenClassifier;
let answerer: QuestionAnswerer;
let masker: FillMasker;
const temp = mkdtempSync(join(tmpdir(), "proj-encoder-concurrency-"));
beforeAll(async () => {
  [classifier, recognizer, answerer, masker] = await Promise.all([
    createClassifier(fixture("bert-seq-cls"), { load: { threads: 1 } }),
    createTokenClassifier(fixture("bert-token-cls"), { load: { threads: 1 } }),
    createQuestionAnswerer(fixture("bert-qa"), { load: { threads: 1 } }),
    createFillMask(fixture("bert-mlm"), { load: { threads: 1 } }),
  ]);
});
afterAll(async () => {
  await Promise.all([classifier, recognizer, answerer, masker].map((h) => h?.dispose()));
  await disposeCachedHandles();
  rmSync(temp, { recursive: true, force: true });
});

const N = 64;
const sentences = mixedLengthSentences(N).map((s, i) => (i % 5 === 0 ? `Ada Lovelace 😀 met Charles Babbage in London. ${s}` : s));
type Call = () => Promise<unknown>;

/** Runs the calls one after another, then all at once, and compares. */
async function expectConcurrentEqualsSequential(calls: readonly Call[]): Promise<void> {
  const sequential: unknown[] = [];
  for (const call of calls) sequential.push(await call());
  const concurrent = await Promise.all(calls.map((call) => call()));
  expect(concurrent).toEqual(sequential);
}

describe("64 concurrent calls on one handle equal the same calls made one by one", () => {
  it("classification (single texts and batches, varied options)", async () => {
    await expectConcurrentEqualsSequential(
      sentences.map(
        (text, i): Call =>
          () =>
            i % 3 === 0
              ? classifier.classify([text, sentences[(i + 1) % N] as string], { batchSize: 1 + (i % 4) })
              : classifier.classify(text, { topK: null }),
      ),
    );
  });

  it("named entities (every aggregation strategy)", async () => {
    const strategies = ["none", "simple", "first", "average", "max"] as const;
    await expectConcurrentEqualsSequential(
      sentences.map(
        (text, i): Call =>
          () =>
            recognizer.ner(text, { aggregation: strategies[i % 5], ignoreLabels: [] }),
      ),
    );
  });

  it("question answering (windows of different sizes)", async () => {
    await expectConcurrentEqualsSequential(
      sentences.map(
        (context, i): Call =>
          () =>
            answerer.answer(
              { question: i % 2 ? "Who met whom?" : "Where?", context: context.repeat(1 + (i % 3)) },
              { topK: 1 + (i % 3), maxSeqLength: 48, docStride: 12 },
            ),
      ),
    );
  });

  it("fill-mask", async () => {
    await expectConcurrentEqualsSequential(
      sentences.map(
        (text, i): Call =>
          () =>
            masker.fillMask(`${text.slice(0, 80)} [MASK].`, { topK: 1 + (i % 5) }),
      ),
    );
  });

  it("mixed: all four handles at once", async () => {
    await expectConcurrentEqualsSequential(
      sentences.map((text, i): Call => {
        if (i % 4 === 0) return () => classifier.classify(text);
        if (i % 4 === 1) return () => recognizer.ner(text, { aggregation: "simple" });
        if (i % 4 === 2) return () => answerer.answer({ question: "Who?", context: text });
        return () => masker.fillMask(`${text.slice(0, 60)} [MASK]`);
      }),
    );
  });
});

describe("one-shot functions under concurrent first use", () => {
  it("16 concurrent classify() calls on a model not yet loaded open its session once and agree", async () => {
    const dir = join(temp, "bert-seq-cls");
    cpSync(fixture("bert-seq-cls"), dir, { recursive: true });
    const before = openSessionCount();
    const results = await Promise.all(
      Array.from({ length: 16 }, () => classify("What a lovely day", { model: dir, load: { threads: 1 } })),
    );
    expect(openSessionCount()).toBe(before + 1);
    for (const r of results) expect(r).toEqual(results[0]);
    await disposeCachedHandles();
    expect(openSessionCount()).toBe(before);
  });

  it("a call whose signal fires while the shared load runs ends with AbortError at once; the load goes on for the others", async () => {
    const dir = join(temp, "bert-token-cls");
    cpSync(fixture("bert-token-cls"), dir, { recursive: true });
    const controller = new AbortController();
    const waiting = ner("Ada Lovelace", { model: dir, load: { threads: 1 }, signal: controller.signal });
    const other = ner("Ada Lovelace", { model: dir, load: { threads: 1 } });
    controller.abort();
    const started = performance.now();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(Array.isArray(await other)).toBe(true);
    // And a signal that fired before the call loads nothing.
    const before = openSessionCount();
    const aborted = new AbortController();
    aborted.abort();
    await expect(classify("x", { model: join(temp, "never-loaded"), signal: aborted.signal })).rejects.toBeInstanceOf(AbortError);
    expect(openSessionCount()).toBe(before);
    await disposeCachedHandles();
  });
});
