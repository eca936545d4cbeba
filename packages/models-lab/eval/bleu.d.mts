/** sacreBLEU's 13a tokenization. */
export function tokenize13a(line: string): string[];
/** Corpus-level BLEU-4 (brevity penalty, one reference per sentence), 0-100. */
export function corpusBleu(
  hypotheses: string[],
  references: string[],
  options?: { tokenize?: (s: string) => string[] },
): {
  score: number;
  precisions: number[];
  brevityPenalty: number;
  hypLength: number;
  refLength: number;
  matches: number[];
  totals: number[];
};
