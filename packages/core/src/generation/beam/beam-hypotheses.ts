/** A finished beam-search hypothesis. */
export interface Hypothesis {
  /** Generated tokens (without the end-of-sequence token that finished it). */
  tokens: number[];
  /** Sum of log-probabilities divided by generated length ^ length penalty. */
  score: number;
  /** True when the hypothesis ended with an end-of-sequence token. */
  ended: boolean;
}

/**
 * The `numBeams` best finished hypotheses of one input, with transformers' BeamHypotheses rules:
 * scores are length-normalised, and the search for this input is done when no open beam can beat
 * the worst kept hypothesis (or at once with `earlyStopping: true`).
 *
 * @example
 * const hyps = new BeamHypotheses(4, 1.0, false, 32);
 */
export class BeamHypotheses {
  readonly #numBeams: number;
  readonly #lengthPenalty: number;
  readonly #earlyStopping: boolean | "never";
  readonly #maxNewTokens: number;
  readonly beams: Hypothesis[] = [];
  #worst = 1e9;

  constructor(numBeams: number, lengthPenalty: number, earlyStopping: boolean | "never", maxNewTokens: number) {
    this.#numBeams = numBeams;
    this.#lengthPenalty = lengthPenalty;
    this.#earlyStopping = earlyStopping;
    this.#maxNewTokens = maxNewTokens;
  }

  /** Offers a hypothesis with its summed log-probability and generated length. */
  add(tokens: number[], sumLogProbs: number, generatedLength: number, ended: boolean): void {
    const score = sumLogProbs / Math.max(generatedLength, 1) ** this.#lengthPenalty;
    if (this.beams.length < this.#numBeams || score > this.#worst) {
      this.beams.push({ tokens, score, ended });
      if (this.beams.length > this.#numBeams) {
        let worstAt = 0;
        for (let i = 1; i < this.beams.length; i++)
          if ((this.beams[i] as Hypothesis).score < (this.beams[worstAt] as Hypothesis).score) worstAt = i;
        this.beams.splice(worstAt, 1);
        this.#worst = Math.min(...this.beams.map((b) => b.score));
      } else {
        this.#worst = Math.min(score, this.#worst);
      }
    }
  }

  /** Whether no open beam can still enter the kept set, given the best open beam's summed log-probability. */
  isDone(bestSumLogProbs: number, generatedLength: number): boolean {
    if (this.beams.length < this.#numBeams) return false;
    if (this.#earlyStopping === true) return true;
    const length = this.#earlyStopping === "never" && this.#lengthPenalty > 0 ? this.#maxNewTokens : generatedLength;
    return this.#worst >= bestSumLogProbs / Math.max(length, 1) ** this.#lengthPenalty;
  }

  /** Kept hypotheses, best first. */
  sorted(): Hypothesis[] {
    return [...this.beams].sort((a, b) => b.score - a.score);
  }
}
