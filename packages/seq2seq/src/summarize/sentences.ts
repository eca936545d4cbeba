/** Sentence ends: terminal punctuation (with closing quotes or brackets) before whitespace, CJK stops, blank lines. */
const BOUNDARY = /[.!?…]+["'”’»)\]]*(?=\s|$)|[。！？]+|\n\s*\n/g;

/**
 * Splits text into sentences (and paragraph breaks), whitespace collapsed, none empty. Used to cut long documents
 * on sentence boundaries; it need not be perfect, since a chunk only has to hold whole sentences where it can.
 *
 * @example
 * splitSentences("It rained. We stayed in!\n\nNext day..."); // ["It rained.", "We stayed in!", "Next day..."]
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  const push = (piece: string): void => {
    const clean = piece.replace(/\s+/g, " ").trim();
    if (clean) out.push(clean);
  };
  let last = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const end = (match.index ?? 0) + match[0].length;
    push(text.slice(last, end));
    last = end;
  }
  push(text.slice(last));
  return out;
}
