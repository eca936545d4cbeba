import { InputError } from "@proj/core";
import { describe } from "../shared/validate.js";

/**
 * A vector to compare: an embedding (`Float32Array`, a quantized `Int8Array`/`Uint8Array`) or a plain number array.
 *
 * @example
 * const v: Vector = [0.1, 0.2, 0.3];
 */
export type Vector = ArrayLike<number>;

/**
 * How {@link similarity} and {@link semanticSearch} score two vectors: `"cosine"` (the cosine of their angle, as
 * sentence-transformers' `cos_sim`) or `"dot"` (their dot product; equal to cosine on normalized embeddings and
 * cheaper).
 *
 * @example
 * similarity(queries, docs, { metric: "dot" });
 */
export type SimilarityMetric = "cosine" | "dot";

/**
 * The cosine similarity of two vectors of the same length, in [-1, 1], computed in double precision; 0 when
 * either is all zeros.
 *
 * @example
 * cosineSimilarity([1, 0], [1, 1]); // 0.7071
 */
export function cosineSimilarity(a: Vector, b: Vector): number {
  checkVector(a, "a", "cosineSimilarity");
  checkVector(b, "b", "cosineSimilarity");
  checkSameLength(a, b, "cosineSimilarity");
  return cosine(a, b, norm(a), norm(b));
}

/**
 * The similarity matrix of two lists of vectors: `result[i][j]` scores `a[i]` against `b[j]` (cosine by default).
 *
 * @example
 * const [queries, docs] = [await embed(["a dog"]), await embed(["a puppy", "a car"])];
 * similarity(queries, docs); // [[0.83, 0.12]]
 */
export function similarity(a: readonly Vector[], b: readonly Vector[], options: { metric?: SimilarityMetric } = {}): number[][] {
  const metric = checkMetric(options.metric);
  checkList(a, "a", "similarity");
  checkList(b, "b", "similarity");
  const normsB = b.map((v) => norm(v));
  return a.map((x) => {
    const normX = norm(x);
    return b.map((y, j) => {
      checkSameLength(x, y, "similarity");
      return metric === "dot" ? dot(x, y) : cosine(x, y, normX, normsB[j] as number);
    });
  });
}

/**
 * One hit of {@link semanticSearch}: the index of a corpus vector and its score.
 *
 * @example
 * const hit: SearchHit = { corpusId: 3, score: 0.82 };
 */
export interface SearchHit {
  /** Index of the vector in the corpus list. */
  corpusId: number;
  /** Its similarity to the query. */
  score: number;
}

/**
 * Exact semantic search for small corpora (every query scored against every corpus vector, as
 * sentence-transformers' `util.semantic_search`): for each query, the `topK` most similar corpus vectors, best
 * first; equal scores go to the lower corpus index.
 *
 * @example
 * const corpus = await embed(passages);
 * const [hits] = semanticSearch(await embed(["how fast do dogs run?"]), corpus, { topK: 3 });
 * // [{ corpusId: 7, score: 0.71 }, ...]
 */
export function semanticSearch(
  queries: readonly Vector[],
  corpus: readonly Vector[],
  options: { topK?: number; metric?: SimilarityMetric } = {},
): SearchHit[][] {
  const topK = options.topK ?? 10;
  if (!Number.isInteger(topK) || topK < 1) {
    throw new InputError(`topK must be a positive integer, got ${typeof topK === "number" ? topK : describe(topK)}`, {
      hint: "pass e.g. { topK: 10 }",
    });
  }
  const scores = similarity(queries, corpus, { metric: checkMetric(options.metric) });
  return scores.map((row) =>
    row
      .map((score, corpusId) => ({ corpusId, score }))
      .sort((x, y) => y.score - x.score || x.corpusId - y.corpusId)
      .slice(0, topK),
  );
}

function dot(a: Vector, b: Vector): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function norm(a: Vector): number {
  return Math.sqrt(dot(a, a));
}

function cosine(a: Vector, b: Vector, normA: number, normB: number): number {
  const denominator = Math.max(normA, 1e-12) * Math.max(normB, 1e-12);
  return dot(a, b) / denominator;
}

function checkMetric(metric: unknown): SimilarityMetric {
  if (metric === undefined || metric === "cosine" || metric === "dot") return metric ?? "cosine";
  throw new InputError(`metric must be "cosine" or "dot", got ${typeof metric === "string" ? `"${metric}"` : describe(metric)}`);
}

function checkVector(v: unknown, name: string, fn: string): asserts v is Vector {
  const ok = ArrayBuffer.isView(v) || (Array.isArray(v) && v.every((x) => typeof x === "number"));
  if (!ok || (v as Vector).length === 0) {
    throw new InputError(`${fn}() expects ${name} to be a non-empty vector (a typed array or an array of numbers), got ${describe(v)}`, {
      hint: "pass embeddings returned by embed()",
    });
  }
}

function checkList(list: unknown, name: string, fn: string): asserts list is Vector[] {
  if (!Array.isArray(list))
    throw new InputError(`${fn}() expects ${name} to be an array of vectors, got ${describe(list)}`, {
      hint: "pass the array embed() returns",
    });
  list.forEach((v, i) => {
    checkVector(v, `${name}[${i}]`, fn);
  });
}

function checkSameLength(a: Vector, b: Vector, fn: string): void {
  if (a.length !== b.length) {
    throw new InputError(`${fn}() compares vectors of the same length, got ${a.length} and ${b.length}`, {
      hint: "embed both sides with the same model and dimensions",
    });
  }
}
