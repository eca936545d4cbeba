import fc from "fast-check";

/**
 * Hostile inputs for the reliability suites: text pieces that break naive tokenization or offset arithmetic
 * (lone surrogates, NUL, combining marks, RTL and zero-width characters, characters whose case mapping changes
 * their length), whitespace that is not a space, and values that are not text at all.
 */

/** Pieces that have broken offset arithmetic or tokenizers somewhere. */
export const HOSTILE_PIECES: readonly string[] = [
  "\u0000", // NUL
  "\uD800", // lone high surrogate
  "\uDFFF", // lone low surrogate
  "\uDBFF\uDFFF", // the last valid surrogate pair (U+10FFFF)
  "😀", // astral: two UTF-16 units, one code point
  "👩‍👩‍👧", // a ZWJ sequence: one grapheme, five code points
  "🏳️‍🌈",
  "e\u0301", // e + combining acute
  "\u0301\u0301\u0301", // combining marks with nothing to combine with
  "שלום", // RTL (Hebrew)
  "مرحبا", // RTL (Arabic)
  "\u202E", // right-to-left override
  "\u200B", // zero-width space
  "\u200D", // zero-width joiner
  "\uFEFF", // byte-order mark
  "\u00AD", // soft hyphen
  "\uFFFD", // replacement character
  "\uFFFF", // noncharacter
  "\u0007", // BEL (a control character)
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", // astral letters
  "İ", // lowercases to two code units ("i̇")
  "ß", // uppercases to two letters
  "ﬁ", // a ligature NFKC splits in two
  "Ǆ",
  "㍿", // NFKC expands it to four characters
  "漢字",
  "\t",
  "\n",
  "\r\n",
  "\u00A0",
  "\u3000",
  "Paris",
  "London",
  " ",
  ".",
];

/** One lone UTF-16 surrogate. */
export const loneSurrogate = (): fc.Arbitrary<string> => fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/**
 * Random text made of hostile pieces, random graphemes, random code points (surrogates included) and plain
 * words, up to `maxPieces` pieces.
 *
 * @example
 * fc.assert(fc.asyncProperty(hostileText(), async (text) => { ... }), { seed: 1, numRuns: 40 });
 */
export function hostileText(maxPieces = 24): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
    { weight: 1, arbitrary: loneSurrogate() },
    { weight: 3, arbitrary: fc.constantFrom("the ", "film ", "was ", "good ", "Ada ", "Lovelace ", "in ", "Paris ", "!") },
  );
  return fc.array(piece, { minLength: 1, maxLength: maxPieces }).map((pieces) => pieces.join(""));
}

/** Text that JavaScript's `trim()` reduces to `""`: spaces, tabs, newlines, no-break and ideographic spaces. */
export function whitespaceText(): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(" ", "\t", "\n", "\r", "\v", "\f", "\u00A0", "\u2003", "\u3000", "\uFEFF", "\u2028"), {
      minLength: 1,
      maxLength: 12,
    })
    .map((pieces) => pieces.join(""));
}

/** Values that are not strings: null, numbers, booleans, objects, arrays, big integers, symbols, functions. */
export function notText(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom<unknown>(null, undefined, 0, Number.NaN, true, Symbol("text"), () => "text", new Date(0), new Map(), /x/),
    fc.integer(),
    fc.double(),
    fc.bigInt(),
    fc.object({ maxDepth: 1 }),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.record({ text: fc.string() }),
  );
}

/**
 * A text of about `bytes` UTF-16 units, words and emoji mixed, deterministic.
 *
 * @example
 * const big = bigText(1_000_000); // ~1 MB
 */
export function bigText(units: number): string {
  const sentence = "The quick brown fox 😀 jumps over Ada Lovelace in Paris. ";
  return sentence.repeat(Math.ceil(units / sentence.length)).slice(0, units);
}

/** A fixed seed for every property of the reliability suites, so a failure replays the same way. */
export const FUZZ_SEED = 20_261_128;
