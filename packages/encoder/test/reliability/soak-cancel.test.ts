import { AbortError, DisposedError } from "@proj/core";
import { openSessionCount } from "@proj/core/internal";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Classifier, createClassifier, createQuestionAnswerer, createTokenClassifier } from "../../src/index.js";
import { mixedLengthSentences } from "../support/helpers.js";
import { rssMb, signalFiringAtCheck } from "./support.js";

/**
 * A short soak (the full one is scripts/soak.mjs): 1,000 classifications on one handle keep memory flat after
 * warm-up. Cancellation at any moment ends the call with AbortError and leaves the handle as it was. A disposed
 * handle throws DisposedError, also to the calls it had in flight. Moments are counted in the call's own checks of
 * its signal, never in milliseconds, so a loaded machine cannot change what is tested.
 */

let classifier: Classifier;
beforeAll(async () => {
  classifier = await createClassifier(fixture("bert-seq-cls"), { load: { threads: 1 } });
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
    // 500 batches of 8, each forward pass checking the signal before and after: the signal fires during the first,
    // the second and the tenth pass.
    for (const at of [1, 3, 19]) {
      const { signal, checks } = signalFiringAtCheck(at);
      await expect(classifier.classify(many, { batchSize: 8, signal })).rejects.toBeInstanceOf(AbortError);
      expect(checks(), "the first check after the signal fired ends the call: no further batch runs").toBe(at + 1);
      expect(await classifier.classify(texts.slice(0, 5))).toEqual(before);
    }
  });

  it("NER and QA stop with AbortError too, and keep answering", async () => {
    const recognizer = await createTokenClassifier(fixture("bert-token-cls"), { load: { threads: 1 } });
    const answerer = await createQuestionAnswerer(fixture("bert-qa"), { load: { threads: 1 } });
    const short = { text: "Ada Lovelace met Charles Babbage in London.", question: { question: "Who?", context: "Ada was there." } };
    const entitiesBefore = await recognizer.ner(short.text, { aggregation: "none" });
    const answerBefore = await answerer.answer(short.question);
    expect(entitiesBefore.length).toBeGreaterThan(0); // every token of the random-weight fixture gets some label
    const controller = new AbortController();
    controller.abort();
    const long = "Ada Lovelace met Charles Babbage in London. ".repeat(400);
    await expect(recognizer.ner(long, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    await expect(answerer.answer({ question: "Who?", context: long }, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    // Mid-call too: the signal fires during the second window's forward pass.
    const midway = signalFiringAtCheck(3);
    await expect(recognizer.ner(long, { batchSize: 1, signal: midway.signal })).rejects.toBeInstanceOf(AbortError);
    expect(await recognizer.ner(short.text, { aggregation: "none" })).toEqual(entitiesBefore);
    expect(await answerer.answer(short.question)).toEqual(answerBefore);
    await recognizer.dispose();
    await answerer.dispose();
  });
});

describe("dispose", () => {
  it("a disposed handle throws DisposedError (also to calls in flight) and its session is freed", async () => {
    const handle = await createClassifier(fixture("bert-seq-cls"), { load: { threads: 1, graphOptimization: "basic" } });
    const before = openSessionCount();
    const inFlight = handle.classify(
      Array.from({ length: 2_000 }, (_, i) => `text ${i}`),
      { batchSize: 4 },
    );
    // The call is still tokenizing (off the main thread) when dispose() frees the session: its first batch finds it gone.
    await handle.dispose();
    await expect(inFlight).rejects.toBeInstanceOf(DisposedError);
    await expect(handle.classify("after")).rejects.toBeInstanceOf(DisposedError);
    expect(handle.disposed).toBe(true);
    expect(openSessionCount()).toBe(before - 1);
    await handle.dispose(); // twice is fine
  });
});
