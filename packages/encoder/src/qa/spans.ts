import type { Encoding } from "@proj/core";
import { topKIndices } from "../shared/top-k.js";

/**
 * A candidate answer in one window, as token indexes.
 *
 * @example
 * const span: TokenSpan = { start: 12, end: 13, score: 0.4 };
 */
export interface TokenSpan {
  /** First token. */
  start: number;
  /** Last token (inclusive). */
  end: number;
  /** Start probability times end probability. */
  score: number;
}

/**
 * What {@link scoreWindow} needs besides the logits.
 *
 * @example
 * const options: SpanOptions = { topK: 1, maxAnswerLength: 15, clsId: 101 };
 */
export interface SpanOptions {
  topK: number;
  maxAnswerLength: number;
  /** Id of the `[CLS]` token, which stays in the softmax (some models put "no answer" there). */
  clsId: number | undefined;
}

/** Logit given to tokens that cannot be in the answer, as the Hugging Face pipeline does. */
const MASKED = -10000;

/**
 * Scores the answer spans of one window as the Hugging Face question-answering pipeline does: logits of tokens that
 * cannot be in an answer (the question, special tokens, padding; not `[CLS]`) are masked, start and end logits are
 * softmaxed, the "no answer" score is `p_start[0] * p_end[0]`, and spans run from a context token to a context
 * token at most `maxAnswerLength` tokens on. Returns the best `topK` spans and the no-answer score.
 *
 * @param startLogits - the window's start logits (at least as long as the encoding)
 * @example
 * const { spans, nullScore } = scoreWindow(encoding, start, end, { topK: 1, maxAnswerLength: 15, clsId: 101 });
 */
export function scoreWindow(
  encoding: Encoding,
  startLogits: ArrayLike<number>,
  endLogits: ArrayLike<number>,
  options: SpanOptions,
): { spans: TokenSpan[]; nullScore: number } {
  const n = encoding.ids.length;
  const inContext = (i: number): boolean => encoding.sequenceIds[i] === 1;
  const kept = (i: number): boolean => inContext(i) || (options.clsId !== undefined && encoding.ids[i] === options.clsId);
  const pStart = maskedSoftmax(startLogits, n, kept);
  const pEnd = maskedSoftmax(endLogits, n, kept);
  const nullScore = (pStart[0] ?? 0) * (pEnd[0] ?? 0);

  const starts: number[] = [];
  const ends: number[] = [];
  const scores: number[] = [];
  for (let s = 0; s < n; s++) {
    if (!inContext(s) || s === 0) continue;
    const last = Math.min(n - 1, s + options.maxAnswerLength - 1);
    for (let e = s; e <= last; e++) {
      if (!inContext(e)) continue;
      starts.push(s);
      ends.push(e);
      scores.push((pStart[s] as number) * (pEnd[e] as number));
    }
  }
  const best = topKIndices(scores, options.topK);
  return { spans: best.map((i) => ({ start: starts[i] as number, end: ends[i] as number, score: scores[i] as number })), nullScore };
}

function maskedSoftmax(logits: ArrayLike<number>, n: number, kept: (i: number) => boolean): Float64Array {
  const out = new Float64Array(n);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    out[i] = kept(i) ? (logits[i] as number) : MASKED;
    max = Math.max(max, out[i] as number);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.exp((out[i] as number) - max);
    sum += out[i] as number;
  }
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/**
 * Character offsets in the context of a token span. With `alignToWords`, a span that starts or ends inside a word
 * is widened to the whole word (the word's tokens in this window), as the Hugging Face pipeline does.
 *
 * @example
 * spanToChars(encoding, 12, 13, true); // [24, 29]
 */
export function spanToChars(encoding: Encoding, start: number, end: number, alignToWords: boolean): [number, number] {
  let from = (encoding.offsets[start] as [number, number])[0];
  let to = (encoding.offsets[end] as [number, number])[1];
  if (alignToWords) {
    const startWord = encoding.wordIds[start];
    const endWord = encoding.wordIds[end];
    for (let i = 0; i < encoding.ids.length; i++) {
      if (encoding.sequenceIds[i] !== 1) continue;
      const word = encoding.wordIds[i];
      const [s, e] = encoding.offsets[i] as [number, number];
      if (word !== null && word === startWord) from = Math.min(from, s);
      if (word !== null && word === endWord) to = Math.max(to, e);
    }
  }
  return [from, to];
}
