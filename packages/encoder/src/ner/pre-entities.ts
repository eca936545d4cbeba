import type { Encoding } from "@proj/core";
import { softmaxInto } from "../shared/activations.js";

/**
 * One non-special token with its label probabilities, before aggregation.
 *
 * @example
 * const [first]: PreEntity[] = gatherPreEntities(text, encoding, logits, 9, info);
 */
export interface PreEntity {
  /** The token string (for an unknown token: the text it covers). */
  word: string;
  /** The token id. */
  id: number;
  /** True for an unknown token, whose `word` is the original text. */
  unknown: boolean;
  /** Softmax over the labels. */
  scores: Float64Array;
  /** Character offsets in the original text. */
  start: number;
  end: number;
  /** Position in the encoded sequence. */
  index: number;
  /** True when the token continues the previous token's word. */
  isSubword: boolean;
}

/**
 * What {@link gatherPreEntities} needs to know about the tokenizer.
 *
 * @example
 * const info: SubwordInfo = { continuingSubwordPrefix: "##", unkId: 100 };
 */
export interface SubwordInfo {
  /** The WordPiece/BPE continuing-subword prefix (`"##"`), when the tokenizer model has one. */
  continuingSubwordPrefix: string | undefined;
  /** The unknown token's id. */
  unkId: number | undefined;
}

/**
 * Pairs each non-special token of a row with its label probabilities and decides whether it continues a word,
 * as the Hugging Face pipeline does: with a continuing-subword prefix, a token whose string is longer or shorter
 * than the text it covers is a subword (`"##soft"` covers `"soft"`); without one, a token not preceded by a space.
 *
 * @param logits - the row's logits, `[width, numLabels]` row-major (width >= the encoding's length)
 * @example
 * const pre = gatherPreEntities(text, encoding, logits, 9, { continuingSubwordPrefix: "##", unkId: 100 });
 */
export function gatherPreEntities(
  text: string,
  encoding: Encoding,
  logits: Float32Array,
  numLabels: number,
  info: SubwordInfo,
): PreEntity[] {
  const out: PreEntity[] = [];
  for (let index = 0; index < encoding.ids.length; index++) {
    if (encoding.specialTokensMask[index]) continue;
    const id = encoding.ids[index] as number;
    const [start, end] = encoding.offsets[index] as [number, number];
    const wordRef = text.slice(start, end);
    let word = encoding.tokens[index] as string;
    let isSubword = info.continuingSubwordPrefix
      ? codePoints(word) !== codePoints(wordRef)
      : start > 0 && !text.slice(start - 1, start + 1).includes(" ");
    const unknown = id === info.unkId;
    if (unknown) {
      word = wordRef;
      isSubword = false;
    }
    const scores = softmaxInto(logits, index * numLabels, numLabels, new Float64Array(numLabels));
    out.push({ word, id, unknown, scores, start, end, index, isSubword });
  }
  return out;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
