/**
 * Abbreviations after which a full stop does not end a sentence (CLDR's English sentence-break suppressions, the
 * data ICU applies with `ss=standard`, which Node's `Intl.Segmenter` does not take): titles, ranks, months, Latin
 * abbreviations. Matched case-sensitively on the last word of a segment.
 */
const NO_BREAK_AFTER = new Set([
  "Mr.",
  "Mrs.",
  "Ms.",
  "Mx.",
  "Dr.",
  "Prof.",
  "Sr.",
  "Jr.",
  "St.",
  "Mt.",
  "Rev.",
  "Hon.",
  "Gen.",
  "Col.",
  "Capt.",
  "Lt.",
  "Sgt.",
  "Maj.",
  "Gov.",
  "Sen.",
  "Rep.",
  "Pres.",
  "Bros.",
  "Messrs.",
  "No.",
  "Nos.",
  "Fig.",
  "Figs.",
  "Vol.",
  "Ch.",
  "Sec.",
  "Art.",
  "Ref.",
  "Approx.",
  "Dept.",
  "Est.",
  "Jan.",
  "Feb.",
  "Mar.",
  "Apr.",
  "Jun.",
  "Jul.",
  "Aug.",
  "Sep.",
  "Sept.",
  "Oct.",
  "Nov.",
  "Dec.",
  "vs.",
  "e.g.",
  "i.e.",
  "cf.",
  "viz.",
  "approx.",
  "U.S.",
  "U.K.",
  "Ph.D.",
]);

let segmenter: Intl.Segmenter | undefined;

/**
 * Splits text into sentences (and paragraph breaks), whitespace collapsed, none empty. Sentence boundaries are
 * Unicode's (`Intl.Segmenter` with sentence granularity: "3 p.m. today" and "Version 2.5" stay whole, CJK full stops
 * end sentences), except after a title or abbreviation such as "Dr." or "e.g." or an initial such as "J.", which
 * never end one; a blank line always does, a single line break never does (hard-wrapped text). Used to cut long
 * documents on sentence boundaries for chunked summarization.
 *
 * @example
 * splitSentences("Dr. Smith came at 3 p.m. today. We stayed in!\n\nNext day..."); // ["Dr. Smith came at 3 p.m. today.", "We stayed in!", "Next day..."]
 */
export function splitSentences(text: string): string[] {
  segmenter ??= new Intl.Segmenter("en", { granularity: "sentence" });
  const out: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const flat = paragraph.replace(/\s+/g, " ").trim();
    if (flat === "") continue;
    let pending = "";
    for (const segment of segments(segmenter, flat)) {
      pending += segment;
      const last = pending.trimEnd().split(" ").at(-1) ?? "";
      if (NO_BREAK_AFTER.has(last) || /^[A-Z]\.$/.test(last)) continue;
      const sentence = pending.trim();
      if (sentence) out.push(sentence);
      pending = "";
    }
    const rest = pending.trim();
    if (rest) out.push(rest);
  }
  return out;
}

/** Text segmented at once; longer texts go window by window (V8's segmenter slows down quadratically with length). */
const WINDOW = 4096;

/**
 * The sentence segments of `text`, segmenting windows of {@link WINDOW} characters: every segment of a window but the
 * last is final (the boundary before the last one was decided with the text after it in view); the last, perhaps cut by
 * the window's end, is segmented again at the start of the next window.
 */
function* segments(segmenter: Intl.Segmenter, text: string): Generator<string> {
  let start = 0;
  let size = WINDOW;
  while (start < text.length) {
    const end = Math.min(text.length, start + size);
    const pieces = Array.from(segmenter.segment(text.slice(start, end)), (s) => s.segment);
    if (end === text.length) {
      yield* pieces;
      return;
    }
    if (pieces.length < 2) {
      size *= 2; // one sentence longer than the window: look further
      continue;
    }
    pieces.pop();
    yield* pieces;
    start += pieces.reduce((n, piece) => n + piece.length, 0);
    size = WINDOW;
  }
}
