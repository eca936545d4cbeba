import { describe, expect, it } from "vitest";
import { corpusBleu, tokenize13a } from "../eval/bleu.mjs";

describe("corpus BLEU (eval/bleu.mjs)", () => {
  it("tokenizes as sacreBLEU's 13a: punctuation split off, numbers kept whole", () => {
    expect(tokenize13a('Ein Mann, der 3.5 km läuft - und "springt"!')).toEqual([
      "Ein",
      "Mann",
      ",",
      "der",
      "3.5",
      "km",
      "läuft",
      "-",
      "und",
      '"',
      "springt",
      '"',
      "!",
    ]);
  });

  it("matches a hand-computed corpus score", () => {
    // hyp 1 "the cat sat on the mat ." vs "the cat is on the mat ."; hyp 2 "a dog runs" vs "a dog runs fast".
    // clipped matches / totals: 1-grams 9/10, 2-grams 6/8, 3-grams 3/6, 4-grams 1/4 ("on the mat ." only);
    // lengths 10 vs 11: BP = exp(1 - 11/10); BLEU = BP * (0.9 * 0.75 * 0.5 * 0.25)^(1/4) = 48.7668
    const r = corpusBleu(["the cat sat on the mat .", "a dog runs"], ["the cat is on the mat .", "a dog runs fast"]);
    expect(r.matches).toEqual([9, 6, 3, 1]);
    expect(r.totals).toEqual([10, 8, 6, 4]);
    expect(r.brevityPenalty).toBeCloseTo(Math.exp(-0.1), 10);
    expect(r.score).toBeCloseTo(100 * Math.exp(-0.1) * (0.9 * 0.75 * 0.5 * 0.25) ** 0.25, 10);
    expect(r.score).toBeCloseTo(48.7668, 3);
  });

  it("smooths an n-gram order without matches as sacreBLEU does by default (exp), and gives 0 without any 4-gram", () => {
    // 1-4-gram precisions 5/6, 3/5, 1/4, 0/3 -> the last becomes 100 / (2 * 3); equal lengths, BP 1
    const r = corpusBleu(["the cat sat on the mat"], ["the cat is on the mat"]);
    expect(r.precisions[3]).toBeCloseTo(100 / 6, 10);
    expect(r.score).toBeCloseTo(100 * ((5 / 6) * (3 / 5) * (1 / 4) * (1 / 6)) ** 0.25, 10);
    expect(r.score).toBeCloseTo(37.9918, 3);
    expect(corpusBleu(["a b c"], ["a b c"]).score).toBe(0);
  });

  it("is corpus-level, clips repeated n-grams, and checks its input", () => {
    expect(corpusBleu(["the the the the"], ["the cat"]).precisions[0]).toBe(25);
    expect(corpusBleu(["a b c d e"], ["a b c d e"]).score).toBeCloseTo(100, 10);
    // one perfect 4-word sentence and one wrong word: pooled counts, not an average of sentence scores
    const r = corpusBleu(["a b c d", "x"], ["a b c d", "y"]);
    expect(r.matches).toEqual([4, 3, 2, 1]);
    expect(r.totals).toEqual([5, 3, 2, 1]);
    expect(() => corpusBleu(["a"], [])).toThrow();
  });
});
