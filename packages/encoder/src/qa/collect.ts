import { topKIndices } from "../shared/top-k.js";
import { TextKeys } from "./text-keys.js";
import type { Answer } from "./types.js";

/** The spans that share one text: their summed score, and the best-scoring one, whose place the answer reports. */
interface TextGroup {
  start: number;
  end: number;
  /** Score of the reported span. */
  top: number;
  /** Sum over every span with this text. */
  score: number;
  /** The next group whose key collided with this one's (a different text). */
  next: TextGroup | undefined;
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
  readonly #width: number;
  /** Scores by span, `start * (context length + 1) + end`: a span seen by overlapping windows is one entry. */
  readonly #bySpan = new Map<number, number>();

  constructor(context: string) {
    this.#context = context;
    this.#width = context.length + 1;
  }

  /** Adds a span of the context (character offsets) with its score. */
  add(start: number, end: number, score: number): void {
    const key = start * this.#width + end;
    this.#bySpan.set(key, (this.#bySpan.get(key) ?? 0) + score);
  }

  /** The best answers, best first, with "no answer" competing when `nullScore` is given. */
  best(topK: number, nullScore: number | undefined): Answer[] {
    const keys = new TextKeys(this.#context);
    const byKey = new Map<number | string, TextGroup>();
    const groups: TextGroup[] = [];
    for (const [span, score] of this.#bySpan) {
      const start = Math.floor(span / this.#width);
      const end = span - start * this.#width;
      const key = keys.key(start, end);
      const head = byKey.get(key);
      let group = head;
      while (group && !keys.same(group.start, group.end, start, end)) group = group.next;
      if (!group) {
        group = { start, end, top: score, score: 0, next: head };
        byKey.set(key, group);
        groups.push(group);
      } else if (score > group.top || (score === group.top && start < group.start)) {
        group.start = start;
        group.end = end;
        group.top = score;
      }
      group.score += score;
    }
    const scores = new Float64Array(groups.length + (nullScore === undefined ? 0 : 1));
    groups.forEach((g, i) => {
      scores[i] = g.score;
    });
    if (nullScore !== undefined) scores[groups.length] = nullScore;
    return topKIndices(scores, topK).map((i) => {
      const g = groups[i];
      return g
        ? { answer: this.#context.slice(g.start, g.end), score: g.score, start: g.start, end: g.end }
        : { answer: "", score: nullScore ?? 0, start: 0, end: 0 };
    });
  }
}
