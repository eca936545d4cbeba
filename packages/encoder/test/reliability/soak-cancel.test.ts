import { AbortError, DisposedError } from "@proj/core";
import { openSessionCount } from "@proj/core/internal";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Classifier, createClassifier, createQuestionAnswerer, createTokenClassifier } from "../../src/index.js";
import { mixedLengthSentences } from "../support/helpers.js";
import { rssMb } from "./support.js";

/**
 * A short soak (the full one is scripts/soak.mjs): 1,000 classifications on one handle keep memory flat after
 * warm-up. Cancellation at any moment ends the call with AbortError and leaves the handle as it was. A disposed
 * handle throws DisposedError.
 */

let classifier: Classifier;
beforeAll(async () => {
  classifier = await createClassifier(fixture("bert-seq-cls"), { threads: 1 });
});
afterAll(() => classifier?.dispose());

const texts = mixedLengthSentences(100);

describe("soak (short)", () => {
  it("1,000 classifications on one handle: RSS after warm-up stays flat", async () => {
    const want = await classifier.classify(texts);
    const samples: number[] = [];
    for (let round = 0; round < 10; round++) {
      // 100 calls per round, 8 at a time.
      for (let i = 0; i < texts.length; i += 8) {
        const got = await Promise.all(texts.slice(i, i + 8).map((t) => classifier.classify(t)));
        for (const [k, labels] of got.entries()) expect(labels).toEqual([want[i + k]?.[0]]);
      }
      samples.push(rssMb());
    }
    const warm = samples[2] as number; // after 300 calls
    const growth = Math.max(...samples.slice(3)) - warm;
    // Generous: a leak of even 50 kB per call would add 35 MB over the last 700 calls.
    expect(growth, `RSS samples ${samples.map((s) => s.toFixed(0)).join(", ")} MiB`).toBeLessThan(Math.max(24, warm * 0.1));
  });
});

describe("cancellation", () => {
  it("a signal fired before the call: AbortError, no forward pass", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(classifier.classify("fine", { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });

  it("a signal fired mid-batch ends the call with AbortError within a batch, and the handle answers as before", async () => {
    const many = Array.from({ length: 4_000 }, (_, i) => texts[i % texts.length] as string);
    const before = await classifier.classify(texts.slice(0, 5));
    for (const delayMs of [0, 5, 30]) {
      const controller = new AbortController();
      const call = classifier.classify(many, { batchSize: 8, signal: controller.signal });
      setTimeout(() => controller.abort(), delayMs);
      const started = performance.now();
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      // 4,000 texts take far longer than 5 ms; at 30 ms a very fast machine may have finished.
      if (delayMs < 30 || error !== undefined) expect(error).toBeInstanceOf(AbortError);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(await classifier.classify(texts.slice(0, 5))).toEqual(before);
    }
  });

  it("NER and QA stop with AbortError too, and keep answering", async () => {
    const recognizer = await createTokenClassifier(fixture("bert-token-cls"), { threads: 1 });
    const answerer = await createQuestionAnswerer(fixture("bert-qa"), { threads: 1 });
    const controller = new AbortController();
    controller.abort();
    const long = "Ada Lovelace met Charles Babbage in London. ".repeat(400);
    await expect(recognizer.ner(long, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    await expect(answerer.answer({ question: "Who?", context: long }, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect((await recognizer.ner("Ada Lovelace")).length).toBeGreaterThanOrEqual(0);
    expect((await answerer.answer({ question: "Who?", context: "Ada was there." })).answer.length).toBeGreaterThan(0);
    await recognizer.dispose();
    await answerer.dispose();
  });
});

describe("dispose", () => {
  it("a disposed handle throws DisposedError (also for calls in flight) and its session is freed", async () => {
    const handle = await createClassifier(fixture("bert-seq-cls"), { threads: 1, graphOptimization: "basic" });
    const before = openSessionCount();
    const inFlight = handle.classify(
      Array.from({ length: 2_000 }, (_, i) => `text ${i}`),
      { batchSize: 4 },
    );
    await handle.dispose();
    const outcome = await inFlight.then(
      () => "finished",
      (e: unknown) => e,
    );
    if (outcome !== "finished") expect(outcome).toBeInstanceOf(DisposedError);
    await expect(handle.classify("after")).rejects.toBeInstanceOf(DisposedError);
    expect(handle.disposed).toBe(true);
    expect(openSessionCount()).toBe(before - 1);
    await handle.dispose(); // twice is fine
  });
});
