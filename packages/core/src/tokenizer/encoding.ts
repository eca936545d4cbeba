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

/**
 * Copies a Rust encoding into a plain object, converting code-point offsets to UTF-16 indexes.
 *
 * @internal
 */
export function fromRustEncoding(rust: RustEncoding, text: string, pair: string | undefined): Encoding {
  const toText = codePointToUtf16(text);
  const toPair = pair === undefined ? toText : codePointToUtf16(pair);
  const sequenceIds = rust.getSequenceIds().map((s) => (s === undefined || s === null ? null : s));
  const offsets = rust.getOffsets().map((o, i): [number, number] => {
    const map = sequenceIds[i] === 1 ? toPair : toText;
    return [map(o[0] ?? 0), map(o[1] ?? 0)];
  });
  return {
    ids: rust.getIds(),
    tokens: rust.getTokens(),
    attentionMask: rust.getAttentionMask(),
    typeIds: rust.getTypeIds(),
    offsets,
    sequenceIds,
    wordIds: rust.getWordIds().map((w) => (w === undefined || w === null ? null : w)),
    specialTokensMask: rust.getSpecialTokensMask(),
  };
}
