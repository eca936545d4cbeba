import { describe, expect, it } from "vitest";
import { AnswerCollector } from "../src/qa/collect.js";
import { TextKeys } from "../src/qa/text-keys.js";

describe("answers with the same text are one answer", () => {
  it("sums spans of the same text (ignoring case) and reports the best-scoring place", () => {
    const context = "Paris is big. paris is old. London is far.";
    const answers = new AnswerCollector(context);
    answers.add(0, 5, 0.2); // Paris
    answers.add(14, 19, 0.3); // paris
    answers.add(0, 5, 0.05); // Paris again, from an overlapping window
    answers.add(28, 34, 0.4); // London
    expect(answers.best(2, undefined)).toEqual([
      // "Paris" at 0 has 0.25 over two windows, "paris" at 14 has 0.3: the answer is reported where it scored best.
      { answer: "paris", score: expect.closeTo(0.55, 12), start: 14, end: 19 },
      { answer: "London", score: 0.4, start: 28, end: 34 },
    ]);
    // Rank 1 is the same whatever topK is.
    expect(answers.best(1, undefined)[0]?.answer).toBe("paris");
    expect(answers.best(1, 0.9)).toEqual([{ answer: "", score: 0.9, start: 0, end: 0 }]);
  });

  it("texts of the same length but different letters stay apart, also when lowercasing changes the length", () => {
    for (const context of ["abc abd abc", "İabc abd abc"]) {
      const shift = context.startsWith("İ") ? 1 : 0;
      const keys = new TextKeys(context);
      expect(keys.same(shift, shift + 3, shift + 8, shift + 11)).toBe(true);
      expect(keys.same(shift, shift + 3, shift + 4, shift + 7)).toBe(false);
      expect(keys.key(shift, shift + 3)).toBe(keys.key(shift + 8, shift + 11));
      const answers = new AnswerCollector(context);
      answers.add(shift, shift + 3, 0.1);
      answers.add(shift + 4, shift + 7, 0.15);
      answers.add(shift + 8, shift + 11, 0.1);
      expect(answers.best(3, undefined).map((a) => [a.answer, a.start])).toEqual([
        ["abc", shift],
        ["abd", shift + 4],
      ]);
    }
  });
});
