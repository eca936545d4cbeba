import { InputError } from "../../errors.js";
import type { Utf8Guard, Utf8State } from "./utf8-guard.js";
import type { XgGrammarMatcher } from "./xgrammar.js";

/**
 * One row's place in a grammar: masks the logits to the tokens the grammar allows next, advances with each chosen
 * token, and says when the grammar is finished. A beam that forks gets an independent copy ({@link RowConstraint.fork}).
 *
 * @example
 * await constraint.mask(logits); // disallowed tokens -> -Infinity
 * constraint.accept(token);
 */
export class RowConstraint {
  readonly #matcher: XgGrammarMatcher;
  readonly #reopen: () => Promise<XgGrammarMatcher>;
  readonly #accepted: number[] = [];
  readonly #utf8: Utf8Guard | undefined;
  #utf8State: Utf8State | undefined;

  /**
   * `reopen` makes a fresh matcher of the same grammar and stop tokens (for forks); `utf8` keeps the output valid UTF-8
   * (XGrammar alone lets invalid byte sequences through).
   */
  constructor(matcher: XgGrammarMatcher, reopen: () => Promise<XgGrammarMatcher>, utf8?: Utf8Guard) {
    this.#matcher = matcher;
    this.#reopen = reopen;
    this.#utf8 = utf8;
    this.#utf8State = utf8?.start;
  }

  /**
   * Sets every logit the grammar does not allow next to `-Infinity`, in place (ids beyond the tokenizer's vocabulary
   * included). When the other processors had already ruled out every allowed token, the grammar wins: its tokens get
   * logit 0, so the row stays valid. Throws an {@link InputError} when the vocabulary has no token at all for what the
   * grammar needs next (T5's vocabulary has no `{`, for one).
   */
  async mask(logits: Float32Array): Promise<void> {
    const bits = (await this.#matcher.getNextTokenBitmask()).slice();
    if (this.#utf8 && this.#utf8State) this.#utf8.restrict(bits, this.#utf8State);
    const n = logits.length;
    let finite = false;
    let any = false;
    for (let w = 0; w < bits.length; w++) {
      const word = bits[w] as number;
      const base = w << 5;
      if (word !== 0 && base < n) any = true;
      if (word === -1) {
        if (!finite) for (let i = base; i < Math.min(base + 32, n); i++) finite ||= (logits[i] as number) > Number.NEGATIVE_INFINITY;
        continue;
      }
      for (let b = 0; b < 32; b++) {
        const i = base + b;
        if (i >= n) break;
        if ((word & (1 << b)) === 0) logits[i] = Number.NEGATIVE_INFINITY;
        else if (!finite && (logits[i] as number) > Number.NEGATIVE_INFINITY) finite = true;
      }
    }
    for (let i = bits.length << 5; i < n; i++) logits[i] = Number.NEGATIVE_INFINITY;
    if (!any) {
      throw new InputError(
        `The tokenizer has no token for what the response format needs after ${this.#accepted.length} generated tokens, so no valid output can be generated`,
        {
          hint: "its vocabulary lacks a character the format requires (T5-style vocabularies have no `{`): use a format this vocabulary can spell, or another model",
        },
      );
    }
    if (finite) return;
    for (let i = 0; i < Math.min(n, bits.length << 5); i++) if (((bits[i >> 5] as number) & (1 << (i & 31))) !== 0) logits[i] = 0;
  }

  /** Advances the grammar by the chosen token; false when the grammar does not allow it (the token is not taken). */
  accept(token: number): boolean {
    if (!this.#matcher.acceptToken(token)) return false;
    this.#accepted.push(token);
    if (this.#utf8 && this.#utf8State) this.#utf8State = this.#utf8.advance(this.#utf8State, token) ?? this.#utf8.start;
    return true;
  }

  /** True once the grammar has ended (a stop token was accepted, or with no stop tokens, nothing more is allowed). */
  get terminated(): boolean {
    return this.#matcher.isTerminated();
  }

  /** A text the grammar forces from here (empty when it allows a choice): what jump-forward decoding could append. */
  forcedText(): string {
    return this.#matcher.findJumpForwardString();
  }

  /** An independent copy at the same place (a beam continued by several children). */
  async fork(): Promise<RowConstraint> {
    const copy = new RowConstraint(await this.#reopen(), this.#reopen, this.#utf8);
    for (const token of this.#accepted) copy.accept(token);
    return copy;
  }

  /** Frees the matcher. */
  dispose(): void {
    this.#matcher.dispose();
  }
}
