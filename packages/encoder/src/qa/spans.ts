import type { Encoding } from "@proj/core";

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
 * const options: SpanOptions = { maxAnswerLength: 15, clsId: 101 };
 */
export interface SpanOptions {
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
 * token at most `maxAnswerLength` tokens on. Gives every such span to `onSpan` (not only the window's best: answers
 * with the same text are summed over all windows, and a sum over each window's top k would make the best answer
 * depend on k; the span object is reused, copy what you keep) and returns the no-answer score.
 *
 * @param startLogits - the window's start logits (at least as long as the encoding)
 * @example
 * const { nullScore } = scoreWindow(encoding, start, end, { maxAnswerLength: 15, clsId: 101 }, (span) => spans.push({ ...span }));
 */
export function scoreWindow(
  encoding: Encoding,
  startLogits: ArrayLike<number>,
  endLogits: ArrayLike<number>,
  options: SpanOptions,
  onSpan: (span: TokenSpan) => void,
): { nullScore: number } {
  const n = encoding.ids.length;
  const inContext = (i: number): boolean => encoding.sequenceIds[i] === 1;
  const kept = (i: number): boolean => inContext(i) || (options.clsId !== undefined && encoding.ids[i] === options.clsId);
  const pStart = maskedSoftmax(startLogits, n, kept);
  const pEnd = maskedSoftmax(endLogits, n, kept);
  const nullScore = (pStart[0] ?? 0) * (pEnd[0] ?? 0);

  const span: TokenSpan = { start: 0, end: 0, score: 0 };
  for (let s = 0; s < n; s++) {
    if (!inContext(s) || s === 0) continue;
    const last = Math.min(n - 1, s + options.maxAnswerLength - 1);
    for (let e = s; e <= last; e++) {
      if (!inContext(e)) continue;
      span.start = s;
      span.end = e;
      span.score = (pStart[s] as number) * (pEnd[e] as number);
      onSpan(span);
    }
  }
  return { nullScore };
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
 * Character bounds of each token of one window, for mapping token spans to character offsets in the context: a span
 * from token `s` to token `e` covers `[from[s], to[e])`. With `alignToWords`, a token inside a word is widened to the
 * whole word (the word's tokens in this window), so a span that starts or ends inside a word covers the whole word,
 * as the Hugging Face pipeline does. Computed once per window, so each span maps in constant time.
 *
 * @example
 * const { from, to } = charBounds(encoding, true);
 * [from[12], to[13]]; // [24, 29]
 */
export function charBounds(encoding: Encoding, alignToWords: boolean): { from: Int32Array; to: Int32Array } {
  const n = encoding.ids.length;
  const from = new Int32Array(n);
  const to = new Int32Array(n);
  const words = new Map<number, [number, number]>();
  for (let i = 0; i < n; i++) {
    const [s, e] = encoding.offsets[i] as [number, number];
    from[i] = s;
    to[i] = e;
    const word = encoding.wordIds[i];
    if (!alignToWords || encoding.sequenceIds[i] !== 1 || word === null || word === undefined) continue;
    const bounds = words.get(word);
    if (bounds) {
      bounds[0] = Math.min(bounds[0], s);
      bounds[1] = Math.max(bounds[1], e);
    } else {
      words.set(word, [s, e]);
    }
  }
  if (alignToWords) {
    for (let i = 0; i < n; i++) {
      const word = encoding.wordIds[i];
      const bounds = word === null || word === undefined ? undefined : words.get(word);
      if (!bounds) continue;
      from[i] = Math.min(from[i] as number, bounds[0]);
      to[i] = Math.max(to[i] as number, bounds[1]);
    }
  }
  return { from, to };
}
