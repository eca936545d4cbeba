import type { Tokenizer } from "@proj/core";
import { splitSentences } from "./sentences.js";

/**
 * Packs pieces into as few chunks as possible, in order, each at most `budget` tokens (pieces are never reordered
 * or dropped; a piece over the budget gets a chunk of its own and must be split by the caller first).
 *
 * @example
 * packPieces([["A.", 3], ["B.", 4], ["C.", 2]], 6); // [["A."], ["B.", "C."]]
 */
export function packPieces(pieces: ReadonlyArray<readonly [string, number]>, budget: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let used = 0;
  for (const [text, tokens] of pieces) {
    if (current.length && used + tokens > budget) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(text);
    used += tokens;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * Cuts text into chunks on sentence boundaries so that each, with the model's prefix and special tokens, fits
 * `window` tokens. A sentence longer than a chunk is cut between tokens. Nothing is dropped: the chunks hold every
 * sentence, in order.
 *
 * @example
 * const chunks = await chunkText(tokenizer, longArticle, "summarize: ", 512);
 */
export async function chunkText(tokenizer: Tokenizer, text: string, prefix: string, window: number): Promise<string[]> {
  const overhead = (await tokenizer.encode(prefix)).ids.length;
  const budget = window - overhead;
  if (budget < 8) throw new RangeError(`a window of ${window} tokens leaves no room for text after the prefix`);
  const sentences = splitSentences(text);
  const encodings = await tokenizer.encodeBatch(sentences, { addSpecialTokens: false });
  const pieces: Array<[string, number]> = [];
  sentences.forEach((sentence, i) => {
    const enc = encodings[i];
    const count = enc?.ids.length ?? 0;
    if (count <= budget) pieces.push([sentence, count]);
    else for (const part of cutByTokens(sentence, enc?.offsets ?? [], budget)) pieces.push(part);
  });
  const fitted: string[] = [];
  for (const chunk of packPieces(pieces, budget)) fitted.push(...(await fit(tokenizer, chunk, prefix, window)));
  return fitted;
}

/** Checks a packed chunk with the real tokenization (joins can merge tokens) and halves it until it fits. */
async function fit(tokenizer: Tokenizer, pieces: readonly string[], prefix: string, window: number): Promise<string[]> {
  const text = pieces.join(" ");
  const encoding = await tokenizer.encode(prefix + text);
  if (encoding.ids.length <= window) return [text];
  if (pieces.length > 1) {
    const half = Math.ceil(pieces.length / 2);
    return [
      ...(await fit(tokenizer, pieces.slice(0, half), prefix, window)),
      ...(await fit(tokenizer, pieces.slice(half), prefix, window)),
    ];
  }
  const plain = await tokenizer.encode(text, { addSpecialTokens: false });
  const halves = cutByTokens(text, plain.offsets, Math.ceil(plain.ids.length / 2)).map(([t]) => t);
  if (halves.length < 2) throw new RangeError(`cannot cut "${text.slice(0, 40)}..." to fit ${window} tokens`);
  const out: string[] = [];
  for (const half of halves) out.push(...(await fit(tokenizer, [half], prefix, window)));
  return out;
}

/**
 * Cuts a text into parts of at most `size` tokens at the tokens' character offsets, preferring a token that starts
 * a word (so words stay whole); the parts cover the whole text.
 */
function cutByTokens(text: string, offsets: ReadonlyArray<readonly [number, number]>, size: number): Array<[string, number]> {
  const startsWord = (k: number): boolean => {
    const at = offsets[k]?.[0] ?? text.length;
    return at === 0 || /\s/.test(text[at - 1] ?? "") || /\s/.test(text[at] ?? "");
  };
  const parts: Array<[string, number]> = [];
  let k = 0;
  while (k < offsets.length) {
    let next = Math.min(k + size, offsets.length);
    if (next < offsets.length) {
      let cut = next;
      while (cut > k + 1 && !startsWord(cut)) cut--;
      if (cut > k + 1) next = cut;
    }
    const start = k === 0 ? 0 : (offsets[k]?.[0] ?? text.length);
    const end = next < offsets.length ? (offsets[next]?.[0] ?? text.length) : text.length;
    const part = text.slice(start, end).trim();
    if (part) parts.push([part, next - k]);
    k = next;
  }
  return parts;
}
