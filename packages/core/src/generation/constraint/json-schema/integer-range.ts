/** Most digits of an integer the grammar lets through when a side is unbounded (JSON numbers stay exact up to 15). */
export const MAX_INTEGER_DIGITS = 15;

/**
 * EBNF alternatives (one string) for the decimal integers in `[lo, hi]`, exactly: digit-by-digit ranges, no leading
 * zeros, `-0` never. An infinite side is open, up to {@link MAX_INTEGER_DIGITS} digits. Throws a `RangeError` for an
 * empty range.
 *
 * @example
 * integerRangeEbnf(0, 120); // "([0-9] | [1-9] [0-9] | \"1\" [0-1] [0-9] | \"12\" \"0\")" (roughly)
 */
export function integerRangeEbnf(lo: number, hi: number): string {
  if (lo > hi) throw new RangeError(`empty integer range [${lo}, ${hi}]`);
  const alternatives: string[] = [];
  if (lo < 0) {
    // Negative part: "-" then the magnitudes in [max(1, -hi), -lo].
    for (const alt of nonNegative(Math.max(1, -Math.min(hi, -1)), -lo)) alternatives.push(`"-" ${alt}`);
  }
  if (hi >= 0) alternatives.push(...nonNegative(Math.max(0, lo), hi));
  return alternatives.length === 1 ? (alternatives[0] as string) : `(${alternatives.join(" | ")})`;
}

function nonNegative(a: number, b: number): string[] {
  const out: string[] = [];
  const maxValue = 10 ** MAX_INTEGER_DIGITS - 1;
  const top = Math.min(b, maxValue);
  if (a > top) return out;
  const lenA = digits(a);
  const lenB = digits(top);
  for (let len = lenA; len <= lenB; len++) {
    const from = Math.max(a, len === 1 ? 0 : 10 ** (len - 1));
    const to = Math.min(top, 10 ** len - 1);
    if (!Number.isFinite(b) && len > lenA && to === 10 ** len - 1 && from === 10 ** (len - 1)) {
      // Every longer length is whole: one rule for all of them.
      out.push(`[1-9] [0-9]{${len - 1},${MAX_INTEGER_DIGITS - 1}}`);
      break;
    }
    out.push(...sameLength(String(from), String(to)));
  }
  return out;
}

function digits(n: number): number {
  return String(Math.floor(n)).length;
}

/** Alternatives for the numbers from `lo` to `hi`, two digit strings of one length. */
function sameLength(lo: string, hi: string): string[] {
  if (lo.length === 0) return [""];
  const l0 = Number(lo[0]);
  const h0 = Number(hi[0]);
  const restLo = lo.slice(1);
  const restHi = hi.slice(1);
  const n = restLo.length;
  if (l0 === h0) return sameLength(restLo, restHi).map((s) => join(`"${l0}"`, s));
  if (/^0*$/.test(restLo) && /^9*$/.test(restHi)) return [join(digitClass(l0, h0), any(n))];
  const out: string[] = [];
  let first = l0;
  if (!/^0*$/.test(restLo)) {
    out.push(...sameLength(restLo, "9".repeat(n)).map((s) => join(`"${l0}"`, s)));
    first = l0 + 1;
  }
  let last = h0;
  const tail: string[] = [];
  if (!/^9*$/.test(restHi)) {
    tail.push(...sameLength("0".repeat(n), restHi).map((s) => join(`"${h0}"`, s)));
    last = h0 - 1;
  }
  if (first <= last) out.push(join(digitClass(first, last), any(n)));
  return [...out, ...tail];
}

function digitClass(from: number, to: number): string {
  return from === to ? `"${from}"` : `[${from}-${to}]`;
}

function any(n: number): string {
  return n === 0 ? "" : n === 1 ? "[0-9]" : `[0-9]{${n}}`;
}

function join(a: string, b: string): string {
  return b === "" ? a : `${a} ${b}`;
}
