import { type TokenizerVocabulary, vocabularyBytes } from "../../tokenizer/vocabulary.js";

/**
 * Where a row stands in UTF-8: how many continuation bytes the last character still needs, and the range the next
 * one must fall in (narrower after E0, ED, F0 and F4, which rule out overlong forms, surrogates and code points
 * above U+10FFFF).
 */
export interface Utf8State {
  need: number;
  lo: number;
  hi: number;
}

const START: Utf8State = { need: 0, lo: 0x80, hi: 0xbf };

/** The state after one byte, or `undefined` when the byte makes the text invalid UTF-8. */
function next(state: Utf8State, b: number): Utf8State | undefined {
  if (state.need > 0) {
    if (b < state.lo || b > state.hi) return undefined;
    return state.need === 1 ? START : { need: state.need - 1, lo: 0x80, hi: 0xbf };
  }
  if (b < 0x80) return START;
  if (b >= 0xc2 && b <= 0xdf) return { need: 1, lo: 0x80, hi: 0xbf };
  if (b === 0xe0) return { need: 2, lo: 0xa0, hi: 0xbf };
  if (b === 0xed) return { need: 2, lo: 0x80, hi: 0x9f };
  if (b >= 0xe1 && b <= 0xef) return { need: 2, lo: 0x80, hi: 0xbf };
  if (b === 0xf0) return { need: 3, lo: 0x90, hi: 0xbf };
  if (b >= 0xf1 && b <= 0xf3) return { need: 3, lo: 0x80, hi: 0xbf };
  if (b === 0xf4) return { need: 3, lo: 0x80, hi: 0x8f };
  return undefined;
}

function run(state: Utf8State, bytes: Uint8Array): Utf8State | undefined {
  let s: Utf8State | undefined = state;
  for (let i = 0; i < bytes.length && s; i++) s = next(s, bytes[i] as number);
  return s;
}

/**
 * Keeps constrained output valid UTF-8. XGrammar matches a byte-level vocabulary byte by byte and lets through
 * sequences no decoder accepts (a lead byte F6, an overlong C0 AF, an encoded surrogate ED A0 80): they decode to
 * U+FFFD, so a string could break its `maxLength` or `pattern` after decoding. The guard knows each token's bytes and
 * clears, from the grammar's token bitmask, every token that would make the text invalid from where the row stands.
 *
 * @example
 * const guard = Utf8Guard.of(tokenizer.vocabulary());
 * let state = guard.start;
 * guard.restrict(bits, state); // in place
 * state = guard.advance(state, token) ?? guard.start;
 */
export class Utf8Guard {
  static readonly #cache = new WeakMap<TokenizerVocabulary, Utf8Guard>();
  readonly start: Utf8State = START;
  readonly #bytes: readonly Uint8Array[];
  /** Bit `i` set when token `i` is valid from a character boundary. */
  readonly #fromStart: Int32Array;
  /** Tokens that begin with a continuation byte: the only candidates in the middle of a character. */
  readonly #continuations: number[] = [];
  /** Per mid-character state (7 at most), the tokens valid from it, computed when first needed. */
  readonly #midCharacter = new Map<string, Int32Array>();

  private constructor(vocabulary: TokenizerVocabulary) {
    this.#bytes = vocabularyBytes(vocabulary);
    this.#fromStart = new Int32Array(Math.ceil(this.#bytes.length / 32));
    this.#bytes.forEach((bytes, id) => {
      if (run(START, bytes)) this.#fromStart[id >> 5] = (this.#fromStart[id >> 5] as number) | (1 << (id & 31));
      const first = bytes[0];
      if (first !== undefined && first >= 0x80 && first <= 0xbf) this.#continuations.push(id);
    });
  }

  /** The guard of a vocabulary (built once per vocabulary). */
  static of(vocabulary: TokenizerVocabulary): Utf8Guard {
    let guard = Utf8Guard.#cache.get(vocabulary);
    if (!guard) {
      guard = new Utf8Guard(vocabulary);
      Utf8Guard.#cache.set(vocabulary, guard);
    }
    return guard;
  }

  /** Clears, in place, the bits of tokens that would make the text invalid UTF-8 from `state`. */
  restrict(bits: Int32Array, state: Utf8State): void {
    const valid = state.need === 0 ? this.#fromStart : this.#validFrom(state);
    const words = Math.min(bits.length, valid.length);
    for (let w = 0; w < words; w++) bits[w] = (bits[w] as number) & (valid[w] as number);
    bits.fill(0, words);
  }

  /** The tokens valid in the middle of a character (only continuation tokens that fit it). */
  #validFrom(state: Utf8State): Int32Array {
    const key = `${state.need}:${state.lo}:${state.hi}`;
    let valid = this.#midCharacter.get(key);
    if (!valid) {
      valid = new Int32Array(this.#fromStart.length);
      for (const id of this.#continuations) {
        if (run(state, this.#bytes[id] as Uint8Array)) valid[id >> 5] = (valid[id >> 5] as number) | (1 << (id & 31));
      }
      this.#midCharacter.set(key, valid);
    }
    return valid;
  }

  /** The state after a token (`undefined` if it made the text invalid, which {@link Utf8Guard.restrict} prevents). */
  advance(state: Utf8State, token: number): Utf8State | undefined {
    const bytes = this.#bytes[token];
    return bytes ? run(state, bytes) : state;
  }
}
