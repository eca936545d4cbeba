import type { Tokenizer } from "@proj/core";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, answer, createQuestionAnswerer, disposeCachedHandles, type QuestionAnswerer } from "../src/index.js";
import { fixtureTokenizer, oraclePipeline, tokenId } from "./support/helpers.js";
import { keywordQaModel } from "./support/keyword-models.js";

const model = fixture("bert-qa");
// Lowercase, whole-word tokens, no repeated words: transformers.js decodes the answer's tokens while the Python
// pipeline (and @proj/encoder) slices the context, and these agree exactly on such a context.
const cases = [
  {
    question: "where does the old fisherman live",
    context: "the old fisherman lives in a small blue house near the harbor and every morning he walks to his boat with coffee",
  },
  { question: "what color is the car", context: "my neighbor bought a bright red car last summer because green ones were too expensive" },
];

let qa: QuestionAnswerer;
let tokenizer: Tokenizer;
beforeAll(async () => {
  qa = await createQuestionAnswerer(model, { load: { threads: 1 } });
  tokenizer = await fixtureTokenizer("bert-qa");
});
afterAll(async () => {
  await qa.dispose();
  await disposeCachedHandles();
});

type OracleAnswer = { answer: string; score: number };

describe("answers match transformers.js on contexts that fit one window", () => {
  // transformers.js has no maxAnswerLength; a limit longer than the context makes the two search the same spans.
  it("the best answer and its score (1e-4)", async () => {
    const oracle = await oraclePipeline("question-answering", "bert-qa");
    for (const c of cases) {
      const want = (await oracle(c.question, c.context)) as OracleAnswer;
      const got = await qa.answer(c, { maxAnswerLength: 512 });
      expect(got.answer).toBe(want.answer);
      expect(Math.abs(got.score - want.score)).toBeLessThan(1e-4);
      expect(c.context.slice(got.start, got.end)).toBe(got.answer);
    }
  });

  it("the top 5 answers and their scores, in order", async () => {
    const oracle = await oraclePipeline("question-answering", "bert-qa");
    for (const c of cases) {
      const want = (await oracle(c.question, c.context, { top_k: 5 })) as OracleAnswer[];
      const got = await answer(c, { model, topK: 5, maxAnswerLength: 512 });
      expect(got.map((a) => a.answer)).toEqual(want.map((a) => a.answer));
      for (const [i, a] of got.entries()) expect(Math.abs(a.score - (want[i]?.score ?? Number.NaN))).toBeLessThan(1e-4);
    }
  });
});

describe("span rules", () => {
  it("answers are at most maxAnswerLength tokens (15 by default) and lie inside the context", async () => {
    for (const c of cases) {
      for (const maxAnswerLength of [1, 3, undefined]) {
        const got = await qa.answer(c, { topK: 20, ...(maxAnswerLength ? { maxAnswerLength } : {}) });
        expect(got.length).toBeGreaterThan(0);
        for (const a of got) {
          expect(c.context.slice(a.start, a.end)).toBe(a.answer);
          const tokens = (await tokenizer.encode(a.answer, { addSpecialTokens: false })).ids.length;
          expect(tokens).toBeLessThanOrEqual(maxAnswerLength ?? 15);
        }
      }
    }
  });

  it("spans never include the question, even when the question holds the word the model points at", async () => {
    const kw = keywordQaModel(tokenId(tokenizer, "harbor"), tokenId(tokenizer, "harbor"));
    const got = await answer({ question: "which harbor", context: "boats rest in the harbor at night" }, { model: kw, topK: 3 });
    expect(got[0]).toEqual({ answer: "harbor", score: expect.any(Number), start: 18, end: 24 });
    for (const a of got) expect(a.start).toBeGreaterThanOrEqual(0);
  });

  it("a span inside a word is widened to the whole word (alignToWords), and kept as is without it", async () => {
    const kw = keywordQaModel(tokenId(tokenizer, "##force"), tokenId(tokenizer, "##force"));
    const context = "she joined Salesforce last year";
    expect(await answer({ question: "where", context }, { model: kw })).toMatchObject({ answer: "Salesforce", start: 11, end: 21 });
    expect(await answer({ question: "where", context }, { model: kw, alignToWords: false })).toMatchObject({
      answer: "force",
      start: 16,
      end: 21,
    });
  });

  it("handleImpossibleAnswer lets the [CLS] score win as an empty answer", async () => {
    const cls = tokenizer.specialIds.cls as number;
    const kw = keywordQaModel(cls, cls, 12);
    const input = { question: "what", context: "nothing in here answers anything" };
    expect(await answer(input, { model: kw, handleImpossibleAnswer: true })).toMatchObject({ answer: "", start: 0, end: 0 });
    expect((await answer(input, { model: kw })).answer).not.toBe("");
  });
});

describe("long contexts", () => {
  const filler = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => `Paragraph ${from + i} talks about the weather in the quiet valley.`).join(" ");

  it("finds an answer placed after token 1,000, with offsets into the original context", async () => {
    const kw = keywordQaModel(tokenId(tokenizer, "lighthouse"), tokenId(tokenizer, "harbor"));
    const context = `${filler(0, 110)} The key is hidden in the old Lighthouse near the Harbor today. ${filler(110, 40)}`;
    const before = context.indexOf("Lighthouse");
    const position = (await tokenizer.encode(context.slice(0, before), { addSpecialTokens: false })).ids.length;
    expect(position).toBeGreaterThan(1000);
    const got = await answer({ question: "where is the key", context }, { model: kw });
    expect(got.answer).toBe("Lighthouse near the Harbor");
    expect(got.start).toBe(before);
    expect(got.end).toBe(context.indexOf("Harbor") + "Harbor".length);
  });

  it("windows follow maxSeqLength and docStride; the answer is the same with other windows", async () => {
    const kw = keywordQaModel(tokenId(tokenizer, "lighthouse"), tokenId(tokenizer, "lighthouse"));
    const context = `${filler(0, 60)} Look for the lighthouse. ${filler(60, 20)}`;
    for (const [maxSeqLength, docStride] of [
      [64, 16],
      [128, 32],
      [384, 128],
    ] as const) {
      const got = await answer({ question: "what", context }, { model: kw, maxSeqLength, docStride });
      expect(got).toMatchObject({ answer: "lighthouse", start: context.indexOf("lighthouse") });
    }
  });

  it("the best answer is the same for any topK on a context of several windows (bug 8)", async () => {
    // Repeated phrases put answers with the same text in many windows; their scores are summed over every span,
    // not only over each window's best topK, so a larger topK cannot promote another answer to rank 1.
    const context = `${filler(0, 12)} The key is hidden in the old lighthouse near the harbor. ${filler(12, 12)}`;
    const input = { question: "where is the key hidden", context };
    const windows = { maxSeqLength: 64, docStride: 16 } as const;
    const tokens = (await tokenizer.encode(context, { addSpecialTokens: false })).ids.length;
    expect(tokens).toBeGreaterThan(3 * 64);
    const best = await qa.answer(input, windows);
    for (const topK of [1, 3, 20]) {
      const got = await qa.answer(input, { ...windows, topK });
      expect(Array.isArray(got) ? got[0] : got, `topK ${topK}`).toEqual(best);
    }
    const top20 = await qa.answer(input, { ...windows, topK: 20 });
    expect(top20).toHaveLength(20);
    for (let i = 1; i < top20.length; i++) expect((top20[i] as Answer).score).toBeLessThanOrEqual((top20[i - 1] as Answer).score);
    expect(new Set(top20.map((a) => a.answer.toLowerCase())).size).toBe(20);
  });

  it("a batch of questions returns one answer per question, in order", async () => {
    const got = await qa.answer(cases);
    expect(got).toHaveLength(2);
    for (const [i, c] of cases.entries()) expect(got[i]).toEqual(await qa.answer(c));
  });
});
