/**
 * What the logits processors need to know about one sequence: its tokens so far, how often each
 * generated token occurred, and (when no-repeat n-grams are on) an index of the n-grams seen, kept
 * up to date one token at a time.
 */
export class SequenceState {
  /** Prompt (or decoder prefix) followed by the generated tokens. */
  readonly tokens: number[];
  /** Length of the prompt part of {@link SequenceState.tokens}. */
  readonly promptLength: number;
  /** How often each generated token occurred (presence and frequency penalties). */
  readonly counts: Map<number, number>;
  /** Every distinct token of prompt and generation (repetition penalty). */
  readonly seen: Set<number>;
  /** For n-gram blocking: the tokens that followed each (n-1)-token prefix. */
  readonly ngrams: Map<string, Set<number>> | undefined;
  readonly #ngramSize: number;

  constructor(prompt: readonly number[], ngramSize = 0, copyFrom?: SequenceState) {
    this.#ngramSize = ngramSize;
    if (copyFrom) {
      this.tokens = [...copyFrom.tokens];
      this.promptLength = copyFrom.promptLength;
      this.counts = new Map(copyFrom.counts);
      this.seen = new Set(copyFrom.seen);
      this.ngrams = copyFrom.ngrams && new Map([...copyFrom.ngrams].map(([k, v]) => [k, new Set(v)]));
      return;
    }
    this.tokens = [];
    this.promptLength = prompt.length;
    this.counts = new Map();
    this.seen = new Set();
    this.ngrams = ngramSize > 0 ? new Map() : undefined;
    for (const token of prompt) this.#push(token);
  }

  /** Number of generated tokens. */
  get generatedLength(): number {
    return this.tokens.length - this.promptLength;
  }

  /** The generated tokens. */
  get generated(): number[] {
    return this.tokens.slice(this.promptLength);
  }

  /** Records a generated token. */
  append(token: number): void {
    this.#push(token);
    this.counts.set(token, (this.counts.get(token) ?? 0) + 1);
  }

  /** An independent copy (a beam forking). */
  clone(): SequenceState {
    return new SequenceState([], this.#ngramSize, this);
  }

  /** Tokens that would complete an n-gram already present, given the last n-1 tokens. */
  bannedByNgrams(): Set<number> | undefined {
    const n = this.#ngramSize;
    if (!this.ngrams || this.tokens.length < n - 1) return undefined;
    return this.ngrams.get(ngramKey(this.tokens, this.tokens.length - (n - 1), this.tokens.length));
  }

  #push(token: number): void {
    this.tokens.push(token);
    this.seen.add(token);
    const n = this.#ngramSize;
    if (this.ngrams && this.tokens.length >= n) {
      const end = this.tokens.length;
      const key = ngramKey(this.tokens, end - n, end - 1);
      let next = this.ngrams.get(key);
      if (!next) {
        next = new Set();
        this.ngrams.set(key, next);
      }
      next.add(token);
    }
  }
}

function ngramKey(tokens: readonly number[], start: number, end: number): string {
  let key = "";
  for (let i = start; i < end; i++) key += `${tokens[i]},`;
  return key;
}
