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
    for (const { segment } of segmenter.segment(flat)) {
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
