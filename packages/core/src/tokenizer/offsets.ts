/**
 * The Rust tokenizers report character offsets in Unicode code points; JavaScript strings are indexed
 * in UTF-16 code units. These helpers convert one into the other, so that `text.slice(start, end)` works.
 */

/** Converts code-point offsets of one text to UTF-16 offsets. */
export type OffsetMapper = (codePointIndex: number) => number;

const identity: OffsetMapper = (i) => i;

/**
 * Builds the converter for a text. Texts without characters outside the Basic Multilingual Plane
 * (no emoji, no rare scripts) need no table: code points and code units coincide.
 *
 * @example
 * const toUtf16 = codePointToUtf16("a😀b");
 * toUtf16(2); // 3: "b" starts at UTF-16 index 3
 */
export function codePointToUtf16(text: string): OffsetMapper {
  if (!hasAstral(text)) return identity;
  const table: number[] = [];
  let unit = 0;
  for (const char of text) {
    table.push(unit);
    unit += char.length;
  }
  table.push(unit);
  const last = table.length - 1;
  return (i) => table[i < 0 ? 0 : Math.min(i, last)] as number;
}

function hasAstral(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}
