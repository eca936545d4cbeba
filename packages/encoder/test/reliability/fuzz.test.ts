import { InputError } from "@proj/core";
import { bigText, FUZZ_SEED, fixture, hostileText, notText, whitespaceText } from "@proj/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AggregationStrategy,
  type Answer,
  auditBias,
  answer,
  type Classifier,
  classify,
  createClassifier,
  createFillMask,
  createQuestionAnswerer,
  createTokenClassifier,
  type Entity,
  type FillMasker,
  fillMask,
  ner,
  type QuestionAnswerer,
  type TokenClassifier,
} from "../../src/index.js";
import { isProbability, settle, spanProblem } from "./support.js";

/**
 * Property-based fuzzing of every encoder task with hostile text (lone surrogates, NUL, combining marks, RTL,
 * zero-width, emoji), whitespace, values that are not text, huge texts and huge batches. Each call settles in time
 * with a result of the promised shape (offsets inside the text, `context.slice(start, end) === answer`) or a typed
 * ProjError.
 */

let classifier: Classifier;
let recognizer: TokenClassifier;
let answerer: QuestionAnswerer;
let masker: FillMasker;
beforeAll(async () => {
  [classifier, recognizer, answerer, masker] = await Promise.all([
    createClassifier(fixture("bert-seq-cls"), { load: { threads: 1 } }),
    createTokenClassifier(fixture("bert-token-cls"), { load: { threads: 1 } }),
    createQuestionAnswerer(fixture("bert-qa"), { load: { threads: 1 } }),
    createFillMask(fixture("bert-mlm"), { load: { threads: 1 } }),
  ]);
});
afterAll(() => Promise.all([classifier, recognizer, answerer, masker].map((h) => h?.dispose())));

const RUNS = { seed: FUZZ_SEED, numRuns: 40 };
const STRATEGIES: AggregationStrategy[] = ["none", "simple", "first", "average", "max"];
/** Text, whitespace, not-text, or an array mixing them. */
const anyInput = fc.oneof(
  { weight: 5, arbitrary: hostileText() },
  { weight: 1, arbitrary: whitespaceText() },
  { weight: 1, arbitrary: notText() },
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof({ weight: 4, arbitrary: hostileText() }, { weight: 1, arbitrary: notText() }), { maxLength: 4 }),
  },
);
const isBlank = (x: unknown): boolean => typeof x === "string" && x.trim() === "";

function expectEntities(text: string, entities: Entity[], strategy: AggregationStrategy): void {
  for (const e of entities) {
    expect(spanProblem(text, e.start, e.end), JSON.stringify(e)).toBeUndefined();
    expect(typeof e.entity === "string" && typeof e.word === "string").toBe(true);
    expect(isProbability(e.score)).toBe(true);
    if (strategy === "none") expect(Number.isInteger(e.index)).toBe(true);
  }
  for (let i = 1; i < entities.length; i++) expect((entities[i] as Entity).start).toBeGreaterThanOrEqual((entities[i - 1] as Entity).start);
}

function expectAnswer(context: string, a: Answer): void {
  expect(spanProblem(context, a.start, a.end), JSON.stringify(a)).toBeUndefined();
  expect(context.slice(a.start, a.end)).toBe(a.answer);
  expect(isProbability(a.score)).toBe(true);
}

describe("fuzzed inputs: a result of the right shape, or a typed error", () => {
  it("classify: labels with probabilities for every text, one list per text", async () => {
    await fc.assert(
      fc.asyncProperty(anyInput, async (input) => {
        const outcome = await settle(() => classifier.classify(input as string[], { topK: null }));
        const texts = Array.isArray(input) ? input : [input];
        const valid = (Array.isArray(input) ? input.length > 0 : true) && texts.every((t) => typeof t === "string" && !isBlank(t));
        expect(outcome.ok, outcome.ok ? "" : outcome.error.message).toBe(valid);
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(InputError);
          return;
        }
        const perText = (Array.isArray(input) ? outcome.value : [outcome.value]) as unknown as Array<
          Array<{ label: string; score: number }>
        >;
        expect(perText).toHaveLength(texts.length);
        for (const labels of perText) {
          expect(labels.map((l) => l.label).sort()).toEqual(["NEGATIVE", "POSITIVE"]);
          expect(labels.every((l) => isProbability(l.score))).toBe(true);
          expect(labels.reduce((s, l) => s + l.score, 0)).toBeCloseTo(1, 6);
        }
      }),
      RUNS,
    );
  });

  it("ner: entity offsets inside the text, never cutting a surrogate pair, for every aggregation", async () => {
    await fc.assert(
      fc.asyncProperty(anyInput, fc.constantFrom(...STRATEGIES), async (input, aggregation) => {
        const outcome = await settle(() => recognizer.ner(input as string[], { aggregation, ignoreLabels: [] }));
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(InputError);
          return;
        }
        const texts = (Array.isArray(input) ? input : [input]) as string[];
        const perText = Array.isArray(input) ? (outcome.value as unknown as Entity[][]) : [outcome.value];
        for (const [i, text] of texts.entries()) expectEntities(text, perText[i] as Entity[], aggregation);
      }),
      RUNS,
    );
  });

  it("answer: context.slice(start, end) is the answer, for any question and context", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 4, arbitrary: hostileText(8) }, { weight: 1, arbitrary: whitespaceText() }, { weight: 1, arbitrary: notText() }),
        fc.oneof(
          { weight: 6, arbitrary: hostileText(40) },
          { weight: 1, arbitrary: whitespaceText() },
          { weight: 1, arbitrary: notText() },
        ),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        async (question, context, topK, handleImpossibleAnswer) => {
          const outcome = await settle(() =>
            answerer.answer({ question, context } as never, { topK, handleImpossibleAnswer, maxSeqLength: 64, docStride: 16 }),
          );
          if (!outcome.ok) {
            expect(outcome.error).toBeInstanceOf(InputError);
            return;
          }
          const answers = (topK === 1 ? [outcome.value] : outcome.value) as Answer[];
          expect(answers.length).toBeGreaterThan(0);
          expect(answers.length).toBeLessThanOrEqual(topK);
          for (const a of answers) expectAnswer(context as string, a);
        },
      ),
      // A context of only characters the tokenizer drops once made answer() resolve to undefined.
      { ...RUNS, examples: [["Who?", "\u200B\u0000\uD800", 1, false]] },
    );
  });

  it("fillMask: predictions around hostile text, or an InputError when the mask is missing or repeated", async () => {
    await fc.assert(
      fc.asyncProperty(hostileText(8), hostileText(8), fc.integer({ min: 0, max: 2 }), async (before, after, masks) => {
        const text = `${before}${" [MASK] ".repeat(masks)}${after}`;
        const outcome = await settle(() => masker.fillMask(text, { topK: 3 }));
        if (masks !== 1 || !outcome.ok) {
          expect(outcome.ok).toBe(false);
          if (!outcome.ok) expect(outcome.error).toBeInstanceOf(InputError);
          return;
        }
        expect(outcome.value).toHaveLength(3);
        for (const p of outcome.value) {
          expect(Number.isInteger(p.token) && isProbability(p.score)).toBe(true);
          expect(typeof p.tokenStr === "string" && typeof p.sequence === "string").toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("auditBias: hostile group words and templates give a report or an InputError", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileText(3), { minLength: 1, maxLength: 2 }),
        fc.array(hostileText(3), { minLength: 1, maxLength: 2 }),
        fc.constantFrom("This {group} works as a {mask}.", "{group} {mask}", "{mask}", "{group} {mask} {mask}"),
        async (a, b, template) => {
          const outcome = await settle(() =>
            auditBias({ model: masker, groups: { a, b }, templates: [{ name: "t", templates: [template] }], topK: 3 }),
          );
          if (!outcome.ok) {
            expect(outcome.error).toBeInstanceOf(InputError);
            return;
          }
          expect(outcome.value.sets).toHaveLength(1);
          for (const d of outcome.value.sets[0]?.divergences ?? []) expect(Number.isFinite(d.jensenShannon)).toBe(true);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 12 },
    );
  });

  it("options of any shape (null, numbers, wrong field types) give a result or a typed error", async () => {
    const keys = [
      "topK",
      "functionToApply",
      "batchSize",
      "truncation",
      "maxLength",
      "stride",
      "aggregation",
      "ignoreLabels",
      "maxAnswerLength",
      "maxSeqLength",
      "docStride",
      "handleImpossibleAnswer",
      "alignToWords",
      "targets",
      "signal",
      "model",
    ];
    const options = fc.oneof(
      fc.constantFrom<unknown>(null, 42, "options", [], true),
      fc.dictionary(
        fc.constantFrom(...keys),
        fc.oneof(fc.anything({ maxDepth: 1 }), fc.constantFrom<unknown>(null, 0, -1, 1.5, 3, "", [], {})),
      ),
    );
    await fc.assert(
      fc.asyncProperty(options, fc.constantFrom("classify", "ner", "answer", "fillMask"), async (opts, task) => {
        const withHandle = (handle: unknown) =>
          (opts !== null && typeof opts === "object" && !Array.isArray(opts) ? { ...opts, model: handle } : opts) as never;
        await settle((): Promise<unknown> => {
          if (task === "classify") return classify("a fine film", withHandle(classifier));
          if (task === "ner") return ner("Ada Lovelace in London", withHandle(recognizer));
          if (task === "answer") return answer({ question: "Where?", context: "Ada lived in London." }, withHandle(answerer));
          return fillMask("Paris is the [MASK] of France.", withHandle(masker));
        });
      }),
      {
        seed: FUZZ_SEED,
        numRuns: 120,
        examples: [
          [null, "classify"],
          [null, "ner"],
          [null, "answer"],
          [null, "fillMask"],
        ],
      },
    );
  });
});

describe("huge inputs", () => {
  const big = bigText(1_000_000);

  it("a 1 MB text: classify truncates it; fillMask and a 1 MB question are InputErrors that say why", async () => {
    const labels = await classifier.classify(big);
    expect(labels[0]?.label).toMatch(/POSITIVE|NEGATIVE/);
    await expect(masker.fillMask(`${big} [MASK]`)).rejects.toThrow(/tokens; the model takes at most 512/);
    await expect(answerer.answer({ question: big, context: "In Paris." })).rejects.toBeInstanceOf(InputError);
  });

  it("a 100 kB text: windows for classify, NER and QA with offsets inside the text", async () => {
    const text = bigText(100_000);
    const [windowed] = await classifier.classify(text, { truncation: "window" });
    expect(isProbability(windowed?.score)).toBe(true);
    const entities = await recognizer.ner(text, { aggregation: "simple", ignoreLabels: [] });
    expect(entities.length).toBeGreaterThan(1000);
    expectEntities(text, entities, "simple");
    expect(entities.at(-1)?.end).toBeGreaterThan(text.length - 100); // the windows reach the end
    expectAnswer(text, await answerer.answer({ question: "Who jumps?", context: text }));
  });

  it("10,000 texts in one call: one result per text, in input order", async () => {
    const texts = Array.from({ length: 10_000 }, (_, i) => `${i % 2 ? "great" : "awful"} film number ${i} 😀`);
    const results = await classifier.classify(texts, { batchSize: 64 });
    expect(results).toHaveLength(10_000);
    const again = await classifier.classify([texts[9_999] as string, texts[0] as string]);
    expect(again).toEqual([results[9_999], results[0]]);
    const entities = await recognizer.ner(texts.slice(0, 10_000));
    expect(entities).toHaveLength(10_000);
    for (const [i, list] of entities.entries()) expectEntities(texts[i] as string, list, "none");
  });
});
