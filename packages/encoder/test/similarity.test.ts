import { InputError } from "@proj/core";
import { describe, expect, it } from "vitest";
import { cosineSimilarity, semanticSearch, similarity } from "../src/index.js";

/** Deterministic pseudo-random vectors (a linear congruential generator), some of them repeated to make ties. */
function vectors(count: number, dims: number, seed: number): Float32Array[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
  const out = Array.from({ length: count }, () => Float32Array.from({ length: dims }, next));
  if (count > 9) {
    out[5] = Float32Array.from(out[2] as Float32Array);
    out[9] = Float32Array.from(out[2] as Float32Array);
  }
  return out;
}

function bruteCosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] as number) * (b[i] as number);
    aa += (a[i] as number) ** 2;
    bb += (b[i] as number) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe("similarity helpers agree with a brute-force computation", () => {
  const queries = vectors(4, 16, 7);
  const corpus = vectors(30, 16, 99);

  it("cosineSimilarity is the cosine of the angle; a zero vector scores 0", () => {
    expect(cosineSimilarity([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(cosineSimilarity([1, 2, 3], [-1, -2, -3])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(cosineSimilarity(queries[0] as Float32Array, corpus[3] as Float32Array)).toBeCloseTo(
      bruteCosine(queries[0] as Float32Array, corpus[3] as Float32Array),
      12,
    );
  });

  it("similarity(a, b)[i][j] is cosine(a[i], b[j]); the dot metric is the dot product", () => {
    const matrix = similarity(queries, corpus);
    const dots = similarity(queries, corpus, { metric: "dot" });
    expect(matrix).toHaveLength(4);
    queries.forEach((q, i) => {
      expect(matrix[i]).toHaveLength(30);
      corpus.forEach((c, j) => {
        expect(matrix[i]?.[j]).toBeCloseTo(bruteCosine(q, c), 12);
        expect(dots[i]?.[j]).toBeCloseTo(
          q.reduce((s, v, d) => s + v * (c[d] as number), 0),
          10,
        );
      });
    });
  });

  it("semanticSearch returns the topK best by score, ties to the lower corpus index, for every query", () => {
    const probe = Float32Array.from(corpus[2] as Float32Array);
    for (const topK of [1, 3, 30, 50]) {
      const hits = semanticSearch([...queries, probe], corpus, { topK });
      [...queries, probe].forEach((q, i) => {
        const brute = corpus
          .map((c, corpusId) => ({ corpusId, score: bruteCosine(q, c) }))
          .sort((x, y) => y.score - x.score || x.corpusId - y.corpusId)
          .slice(0, topK);
        expect(hits[i]?.map((h) => h.corpusId)).toEqual(brute.map((h) => h.corpusId));
        hits[i]?.forEach((h, k) => {
          expect(h.score).toBeCloseTo(brute[k]?.score as number, 12);
        });
      });
    }
    // The probe equals corpus 2, 5 and 9 exactly: all three tie at the top, in index order.
    expect(semanticSearch([probe], corpus, { topK: 3 })[0]?.map((h) => h.corpusId)).toEqual([2, 5, 9]);
    expect(semanticSearch([probe], corpus)[0]).toHaveLength(10);
  });

  it("vectors of different lengths, empty vectors and a bad topK are InputErrors", () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(/same length, got 2 and 3/);
    expect(() => cosineSimilarity([], [])).toThrow(InputError);
    expect(() => similarity([[1]], "x" as never)).toThrow(/array of vectors/);
    expect(() => semanticSearch(queries, corpus, { topK: 0 })).toThrow(/topK must be a positive integer/);
    expect(() => similarity(queries, corpus, { metric: "l2" as never })).toThrow(/metric must be "cosine" or "dot"/);
  });
});
