// Corpus BLEU as sacreBLEU computes it by default: BLEU-4 with uniform weights and the brevity penalty, one
// reference per sentence, the "13a" tokenizer of mteval-v13a, and sacreBLEU's default "exp" smoothing (which only
// matters when an n-gram order has no match at all: its precision becomes 100 / (2^k * total) for the k-th such
// order; an order with no n-gram at all gives 0). Scores are on the 0-100 scale.

const RULES = [
  [/([{-~[-` -&(-+:-@/])/g, " $1 "],
  [/([^0-9])([.,])/g, "$1 $2 "],
  [/([.,])([^0-9])/g, " $1 $2"],
  [/([0-9])(-)/g, "$1 $2 "],
];

/**
 * sacreBLEU's 13a tokenization: punctuation and symbols split off, except periods and commas inside numbers.
 * @param {string} line
 * @returns {string[]}
 */
export function tokenize13a(line) {
  let s = line.replaceAll("<skipped>", "").replaceAll("-\n", "").replaceAll("\n", " ");
  if (s.includes("&")) s = s.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">");
  s = ` ${s} `;
  for (const [re, rep] of RULES) s = s.replace(re, rep);
  return s.split(/\s+/).filter(Boolean);
}

function ngramCounts(tokens, n) {
  const counts = new Map();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join("\u0001");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Corpus-level BLEU-4 of hypotheses against one reference each.
 * @param {string[]} hypotheses
 * @param {string[]} references
 * @param {{ tokenize?: (s: string) => string[] }} [options]
 * @returns {{ score: number, precisions: number[], brevityPenalty: number, hypLength: number, refLength: number, matches: number[], totals: number[] }}
 */
export function corpusBleu(hypotheses, references, options = {}) {
  if (hypotheses.length !== references.length) throw new Error(`${hypotheses.length} hypotheses but ${references.length} references`);
  const tokenize = options.tokenize ?? tokenize13a;
  const matches = [0, 0, 0, 0];
  const totals = [0, 0, 0, 0];
  let hypLength = 0;
  let refLength = 0;
  for (let k = 0; k < hypotheses.length; k++) {
    const h = tokenize(hypotheses[k]);
    const r = tokenize(references[k]);
    hypLength += h.length;
    refLength += r.length;
    for (let n = 1; n <= 4; n++) {
      const hc = ngramCounts(h, n);
      const rc = ngramCounts(r, n);
      for (const [g, c] of hc) matches[n - 1] += Math.min(c, rc.get(g) ?? 0);
      totals[n - 1] += Math.max(0, h.length - n + 1);
    }
  }
  const precisions = [0, 0, 0, 0];
  let smooth = 1;
  for (let n = 0; n < 4; n++) {
    if (totals[n] === 0) break;
    if (matches[n] === 0) {
      smooth *= 2;
      precisions[n] = 100 / (smooth * totals[n]);
    } else {
      precisions[n] = (100 * matches[n]) / totals[n];
    }
  }
  const brevityPenalty = hypLength === 0 ? 0 : hypLength < refLength ? Math.exp(1 - refLength / hypLength) : 1;
  const score = precisions.some((p) => p === 0) ? 0 : brevityPenalty * Math.exp(precisions.reduce((acc, p) => acc + Math.log(p), 0) / 4);
  return { score, precisions, brevityPenalty, hypLength, refLength, matches, totals };
}
