import type { Answer } from "./types.js";

/**
 * Collects the answers of all windows of one question the way the Hugging Face pipeline does: spans whose text is
 * the same (ignoring case) are one answer whose score is the sum of theirs; "no answer" (when asked for) competes
 * with the lowest no-answer score over the windows; the best `topK` are kept.
 *
 * @example
 * const answers = new AnswerCollector(context);
 * answers.add(12, 17, 0.4);
 * answers.best(1, undefined); // [{ answer: "Paris", score: 0.4, start: 12, end: 17 }]
 */
export class AnswerCollector {
  readonly #context: string;
  readonly #byText = new Map<string, Answer>();

  constructor(context: string) {
    this.#context = context;
  }

  /** Adds a span of the context with its score. */
  add(start: number, end: number, score: number): void {
    const text = this.#context.slice(start, end);
    const key = text.toLowerCase();
    const existing = this.#byText.get(key);
    if (existing) existing.score += score;
    else this.#byText.set(key, { answer: text, score, start, end });
  }

  /** The best answers, with "no answer" competing when `nullScore` is given. */
  best(topK: number, nullScore: number | undefined): Answer[] {
    const answers = [...this.#byText.values()];
    if (nullScore !== undefined) answers.push({ answer: "", score: nullScore, start: 0, end: 0 });
    return answers.sort((a, b) => b.score - a.score).slice(0, topK);
  }
}
