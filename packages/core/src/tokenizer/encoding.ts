import type { Encoding as RustEncoding } from "tokenizers";
import { codePointToUtf16 } from "./offsets.js";

/** One tokenized text (or text pair), with everything needed to map tokens back to characters. */
export interface Encoding {
  /** Token ids, special tokens included. */
  ids: number[];
  /** Token strings, as the vocabulary spells them. */
  tokens: string[];
  /** 1 for real tokens (every token here: padding is added when tensors are built). */
  attentionMask: number[];
  /** Segment ids: 0 for the first text, 1 for the pair (BERT's `token_type_ids`). */
  typeIds: number[];
  /**
   * `[start, end)` of each token in the text it came from, as JavaScript string indexes
   * (`text.slice(start, end)`); `[0, 0]` for special tokens.
   */
  offsets: Array<[number, number]>;
  /** Which input each token came from: 0 (text), 1 (pair), or `null` for special tokens. */
  sequenceIds: Array<number | null>;
  /** Index of the word each token belongs to, or `null` for special tokens. */
  wordIds: Array<number | null>;
  /** 1 for special tokens (`[CLS]`, `</s>` ...), 0 otherwise. */
  specialTokensMask: number[];
}

type Field = keyof Encoding;

/** How each field is read from the Rust encoding (offsets need the sequence ids and the texts). */
const READERS: { [K in Field]: (rust: RustEncoding, text: string, pair: string | undefined, self: Encoding) => Encoding[K] } = {
  ids: (rust) => rust.getIds(),
  tokens: (rust) => rust.getTokens(),
  attentionMask: (rust) => rust.getAttentionMask(),
  typeIds: (rust) => rust.getTypeIds(),
  offsets: (rust, text, pair, self) => {
    const toText = codePointToUtf16(text);
    const toPair = pair === undefined ? toText : codePointToUtf16(pair);
    const sequenceIds = self.sequenceIds;
    return rust.getOffsets().map((o, i): [number, number] => {
      const map = sequenceIds[i] === 1 ? toPair : toText;
      return [map(o[0] ?? 0), map(o[1] ?? 0)];
    });
  },
  sequenceIds: (rust) => rust.getSequenceIds().map((s) => (s === undefined || s === null ? null : s)),
  wordIds: (rust) => rust.getWordIds().map((w) => (w === undefined || w === null ? null : w)),
  specialTokensMask: (rust) => rust.getSpecialTokensMask(),
};
const FIELDS = Object.keys(READERS) as Field[];

/**
 * Wraps a Rust encoding as an {@link Encoding} whose fields are read from Rust (and offsets converted from code
 * points to UTF-16 indexes) on first use, then kept: a classifier reads the ids and never pays for offsets, tokens or
 * word ids. The fields are own, enumerable and writable, so the object spreads, serialises and compares as a plain one.
 *
 * @internal
 */
export function fromRustEncoding(rust: RustEncoding, text: string, pair: string | undefined): Encoding {
  const encoding = {} as Encoding;
  const settle = (field: Field, value: unknown): void => {
    Object.defineProperty(encoding, field, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const field of FIELDS) {
    Object.defineProperty(encoding, field, {
      enumerable: true,
      configurable: true,
      get() {
        const value = READERS[field](rust, text, pair, encoding);
        settle(field, value);
        return value;
      },
      set(value: unknown) {
        settle(field, value);
      },
    });
  }
  return encoding;
}
