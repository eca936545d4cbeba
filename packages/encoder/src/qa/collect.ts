import { topKIndices } from "../shared/top-k.js";
import type { Answer } from "./types.js";

/** One span of the context (character offsets) with its score summed over the windows that hold it. */
interface ScoredSpan {
  start: number;
  end: number;
  score: number;
}

/**
 * Collects the answers of all windows of one question the way the Hugging Face pipeline does: spans whose text is
 * the same (ignoring case) are one answer whose score is the sum of theirs; "no answer" (when asked for) competes
 * with the lowest no-answer score over the windows; the best `topK` are kept. Every span of every window is added
 * (not only each window's best k), so the scores, and so the best answer, do not depend on `topK`. An answer that
 * occurs at several places reports the place of its best-scoring occurrence.
 *
 * @example
 * const answers = new AnswerCollector(context);
 * answers.add(12, 17, 0.4);
 * answers.best(1, undefined); // [{ answer: "Paris", score: 0.4, start: 12, end: 17 }]
 */
export class AnswerCollector {
  readonly #context: string;
  /** Spans by `start * (context length + 1) + end`: the same span seen by overlapping windows is one entry. */
  readonly #bySpan = new Map<number, ScoredSpan>();

  constructor(context: string) {
    this.#context = context;
  }

  /** Adds a span of the context (character offsets) with its score. */
  add(start: number, end: number, score: number): void {
    const key = start * (this.#context.length + 1) + end;
    const existing = this.#bySpan.get(key);
    if (existing) existing.score += score;
    else this.#bySpan.set(key, { start, end, score });
  }

  /** The best answers, best first, with "no answer" competing when `nullScore` is given. */
  best(topK: number, nullScore: number | undefined): Answer[] {
    const byText = new Map<string, { answer: Answer; top: number }>();
    for (const span of this.#bySpan.values()) {
      const text = this.#context.slice(span.start, span.end);
      const key = text.toLowerCase();
      const found = byText.get(key);
      if (!found) {
        byText.set(key, { answer: { answer: text, score: span.score, start: span.start, end: span.end }, top: span.score });
        continue;
      }
      found.answer.score += span.score;
      if (span.score > found.top || (span.score === found.top && span.start < found.answer.start)) {
        found.top = span.score;
        found.answer.answer = text;
        found.answer.start = span.start;
        found.answer.end = span.end;
      }
    }
    const answers = [...byText.values()].map((v) => v.answer);
    if (nullScore !== undefined) answers.push({ answer: "", score: nullScore, start: 0, end: 0 });
    const scores = Float64Array.from(answers, (a) => a.score);
    return topKIndices(scores, topK).map((i) => answers[i] as Answer);
  }
}
