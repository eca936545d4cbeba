import { InputError } from "@proj/core";
import { fixture, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  classifyZeroShot,
  createZeroShotClassifier,
  disposeCachedHandles,
  type ZeroShotClassifier,
  type ZeroShotResult,
} from "../src/index.js";

const model = fixture("bert-nli");
const texts = [
  "The striker scored twice in the final minutes of the match.",
  "ok",
  "Parliament voted on the new budget — a long debate about taxes, schools and 😀 naïve promises.",
];
const labels = ["sports", "politics", "cooking", "science fiction"];

type ZeroShotOracle = (
  text: string,
  labels: string[],
  options: { multi_label?: boolean; hypothesis_template?: string },
) => Promise<ZeroShotResult>;
let oracle: ZeroShotOracle;
let dispose: () => Promise<void>;
let classifier: ZeroShotClassifier;

beforeAll(async () => {
  const transformers = await loadOracle();
  const pipe = await transformers.pipeline("zero-shot-classification", model, { dtype: "fp32" });
  oracle = pipe as unknown as ZeroShotOracle;
  dispose = () => pipe.dispose();
  classifier = await createZeroShotClassifier(model, { load: { threads: 1 } });
});
afterAll(async () => {
  await dispose();
  await classifier.dispose();
  await disposeCachedHandles();
});

function expectSame(got: ZeroShotResult, want: ZeroShotResult): number {
  expect(got.sequence).toBe(want.sequence);
  expect(got.labels).toEqual(want.labels);
  const diffs = got.scores.map((s, i) => Math.abs(s - (want.scores[i] as number)));
  expect(Math.max(...diffs)).toBeLessThan(1e-4);
  return Math.max(...diffs);
}

describe("classifyZeroShot() equals transformers.js zero-shot-classification on the bert-nli fixture", () => {
  it("reads entailment and contradiction from id2label (NEUTRAL, ENTAILMENT, CONTRADICTION)", () => {
    expect(classifier.nli).toEqual({ entailment: 1, contradiction: 2 });
  });

  for (const multiLabel of [false, true]) {
    it(`multiLabel ${multiLabel}: labels in the same order, scores within 1e-4`, async () => {
      const got = await classifyZeroShot(texts, labels, { model, multiLabel, batchSize: 3 });
      expect(got).toHaveLength(texts.length);
      for (const [i, text] of texts.entries())
        expectSame(got[i] as ZeroShotResult, await oracle(text, labels, { multi_label: multiLabel }));
      if (!multiLabel) for (const r of got) expect(r.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    });
  }

  it("a custom hypothesisTemplate and a single label (always judged alone) agree too", async () => {
    const template = "This text is about {}.";
    const got = await classifier.classify(texts[0] as string, labels, { hypothesisTemplate: template });
    expectSame(got, await oracle(texts[0] as string, labels, { hypothesis_template: template }));
    const one = await classifier.classify(texts[2] as string, ["politics"]);
    expectSame(one, await oracle(texts[2] as string, ["politics"], {}));
    expect(one.scores[0]).toBeLessThan(1);
  });
});

describe("hostile input and models", () => {
  it("empty or duplicate labels, a template without {}, empty texts and unknown options are InputErrors", async () => {
    await expect(classifier.classify("a text", [])).rejects.toThrow(/non-empty array of strings, got an empty array/);
    await expect(classifier.classify("a text", ["a", "a"])).rejects.toThrow(/"a" twice/);
    await expect(classifier.classify("a text", ["a", ""])).rejects.toThrow(/candidateLabels\[1\]/);
    await expect(classifier.classify("a text", ["a"], { hypothesisTemplate: "About" })).rejects.toThrow(/with \{\} where the label goes/);
    await expect(classifyZeroShot("", labels, { model })).rejects.toThrow(/empty string/);
    await expect(classifyZeroShot("a text", labels, { model, multi_label: true } as never)).rejects.toThrow(/no option "multi_label"/);
  });

  it("a model whose labels name no entailment class is refused as not an NLI model", async () => {
    const error = await createZeroShotClassifier(fixture("bert-seq-cls")).catch((e: unknown) => e);
    expect(InputError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/not an NLI model: its labels \(NEGATIVE, POSITIVE\)/);
  });
});
