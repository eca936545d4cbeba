import type { TagScheme } from "./types.js";

/**
 * Constrained decoding of a row's labels: the label sequence with the highest total log-probability among those
 * the tag scheme allows (Viterbi), instead of each position's argmax. No transition is weighted (this is not a CRF):
 * illegal transitions are ruled out, legal ones cost nothing.
 */

/** A tag scheme once `"auto"` is resolved. */
export type ResolvedTagScheme = Exclude<TagScheme, "auto">;

/**
 * Which labels may start a row, follow one another, and end a row, under one tag scheme.
 *
 * @example
 * const t = tagTransitions(["O", "B-PER", "I-PER"], "BIO");
 * t.allowed[0]?.[2]; // false: I-PER cannot follow O
 * @internal
 */
export interface TagTransitions {
  /** The scheme the transitions enforce. */
  readonly scheme: ResolvedTagScheme;
  /** The number of labels (the width of each score row). */
  readonly numLabels: number;
  /** `start[j]`: label `j` may be the first of a row. */
  readonly start: readonly boolean[];
  /** `allowed[i][j]`: label `j` may directly follow label `i`. */
  readonly allowed: ReadonlyArray<readonly boolean[]>;
  /** `end[i]`: label `i` may be the last of a row. */
  readonly end: readonly boolean[];
}

/** A label's scheme prefix (BILOU's `L-`/`U-` read as `E-`/`S-`) and its tag; `O` and other bare labels have none. */
interface ParsedLabel {
  prefix: "B" | "I" | "E" | "S" | undefined;
  tag: string;
}

const PREFIXES: Readonly<Record<string, ParsedLabel["prefix"]>> = { B: "B", I: "I", E: "E", S: "S", L: "E", U: "S" };

function parseLabel(label: string): ParsedLabel {
  const prefix = label[1] === "-" && label.length > 2 ? PREFIXES[label[0] as string] : undefined;
  return prefix ? { prefix, tag: label.slice(2) } : { prefix: undefined, tag: label };
}

/**
 * The tag scheme of a label set: `"BIOES"` when some label starts with `E-`, `S-`, `L-` or `U-`, `"BIO"` otherwise
 * (IOB1 uses the same labels as BIO and cannot be told from them: pass it explicitly).
 *
 * @example
 * detectTagScheme(["O", "B-PER", "I-PER"]); // "BIO"
 * detectTagScheme(["O", "B-PER", "I-PER", "E-PER", "S-PER"]); // "BIOES"
 */
export function detectTagScheme(labels: readonly string[]): ResolvedTagScheme {
  return labels.some((l) => {
    const { prefix } = parseLabel(l);
    return prefix === "E" || prefix === "S";
  })
    ? "BIOES"
    : "BIO";
}

/**
 * The labels of a model by class index, `LABEL_<i>` where `id2label` has no name (as the aggregation names them).
 *
 * @example
 * labelList({ 0: "O", 1: "B-PER" }, 3); // ["O", "B-PER", "LABEL_2"]
 */
export function labelList(id2label: Readonly<Record<number, string>>, numLabels: number): string[] {
  return Array.from({ length: numLabels }, (_, i) => id2label[i] ?? `LABEL_${i}`);
}

/**
 * The transitions a tag scheme allows between labels (`"auto"` resolved with {@link detectTagScheme}):
 * - BIO: `I-X` only after `B-X` or `I-X`, never first (unless the labels have no `B-X`: then `I-X` is free);
 * - IOB1: `B-X` only after `B-X` or `I-X`, never first (unless the labels have no `I-X`);
 * - BIOES: after `B-X` or `I-X` only `I-X` or `E-X`; `I-X` and `E-X` only there; a row cannot end inside an entity.
 * Bare labels (`O`) may stand anywhere the scheme does not forbid.
 *
 * @example
 * const t = tagTransitions(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"], "auto");
 * t.allowed[1]?.[2]; // true: B-PER I-PER
 * t.allowed[1]?.[4]; // false: B-PER I-LOC
 */
export function tagTransitions(labels: readonly string[], scheme: TagScheme): TagTransitions {
  const resolved = scheme === "auto" ? detectTagScheme(labels) : scheme;
  const parsed = labels.map(parseLabel);
  const present = new Set(parsed.map((p) => `${p.prefix}-${p.tag}`));
  const same = (a: ParsedLabel, b: ParsedLabel): boolean => a.tag === b.tag && (a.prefix === "B" || a.prefix === "I");
  let canStart: (j: ParsedLabel) => boolean;
  let canFollow: (i: ParsedLabel, j: ParsedLabel) => boolean;
  let canEnd: (i: ParsedLabel) => boolean = () => true;
  if (resolved === "BIO") {
    const bound = (j: ParsedLabel): boolean => j.prefix === "I" && present.has(`B-${j.tag}`);
    canStart = (j) => !bound(j);
    canFollow = (i, j) => !bound(j) || same(i, j);
  } else if (resolved === "IOB1") {
    const bound = (j: ParsedLabel): boolean => j.prefix === "B" && present.has(`I-${j.tag}`);
    canStart = (j) => !bound(j);
    canFollow = (i, j) => !bound(j) || same(i, j);
  } else {
    const open = (i: ParsedLabel): boolean => i.prefix === "B" || i.prefix === "I";
    const continues = (j: ParsedLabel): boolean => j.prefix === "I" || j.prefix === "E";
    canStart = (j) => !continues(j);
    canFollow = (i, j) => (open(i) ? continues(j) && i.tag === j.tag : !continues(j));
    canEnd = (i) => !open(i);
  }
  return {
    scheme: resolved,
    numLabels: labels.length,
    start: parsed.map(canStart),
    allowed: parsed.map((i) => parsed.map((j) => canFollow(i, j))),
    end: parsed.map(canEnd),
  };
}

/**
 * The log of a probability, floored at the log of the smallest positive double (-744.4) so that a label whose
 * probability underflowed to 0 stays comparable.
 *
 * @example
 * logProbability(0.5); // -0.693
 */
export function logProbability(p: number): number {
  return Math.log(Math.max(p, Number.MIN_VALUE));
}

/**
 * The most probable legal label sequence of a row (Viterbi): the one maximising the sum of the log-probabilities
 * of its labels among those {@link TagTransitions} allows; ties go to the lower label index. When no sequence is
 * legal (a label set that cannot express the row, e.g. BIOES without `S-` labels on a one-word row), each
 * position keeps its argmax.
 *
 * @param scores - one probability row per position (token or word), each `transitions.numLabels` wide
 * @example
 * const t = tagTransitions(["O", "B-PER", "I-PER"], "BIO");
 * decodeConstrained([new Float64Array([0.4, 0.2, 0.4]), new Float64Array([0.1, 0.1, 0.8])], t); // [1, 2]: B-PER I-PER
 */
export function decodeConstrained(scores: readonly Float64Array[], transitions: TagTransitions): number[] {
  const n = scores.length;
  const width = transitions.numLabels;
  if (n === 0) return [];
  const back = new Int32Array(n * width);
  let previous = new Float64Array(width);
  let current = new Float64Array(width);
  const first = scores[0] as Float64Array;
  for (let j = 0; j < width; j++) {
    previous[j] = transitions.start[j] ? logProbability(first[j] as number) : Number.NEGATIVE_INFINITY;
  }
  for (let t = 1; t < n; t++) {
    const row = scores[t] as Float64Array;
    for (let j = 0; j < width; j++) {
      let best = Number.NEGATIVE_INFINITY;
      let from = 0;
      for (let i = 0; i < width; i++) {
        const value = previous[i] as number;
        if (value > best && transitions.allowed[i]?.[j]) {
          best = value;
          from = i;
        }
      }
      current[j] = best + logProbability(row[j] as number);
      back[t * width + j] = from;
    }
    [previous, current] = [current, previous];
  }
  let last = -1;
  let best = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < width; j++) {
    if (transitions.end[j] && (previous[j] as number) > best) {
      best = previous[j] as number;
      last = j;
    }
  }
  if (last < 0) return scores.map(argmax);
  const path = new Array<number>(n);
  path[n - 1] = last;
  for (let t = n - 1; t > 0; t--) path[t - 1] = back[t * width + (path[t] as number)] as number;
  return path;
}

/**
 * Whether a label sequence obeys the transitions (its first label may start, each label may follow the one
 * before, its last may end).
 *
 * @example
 * isLegalSequence([0, 2], tagTransitions(["O", "B-PER", "I-PER"], "BIO")); // false: O I-PER
 */
export function isLegalSequence(labels: readonly number[], transitions: TagTransitions): boolean {
  if (labels.length === 0) return true;
  if (!transitions.start[labels[0] as number] || !transitions.end[labels[labels.length - 1] as number]) return false;
  for (let t = 1; t < labels.length; t++) if (!transitions.allowed[labels[t - 1] as number]?.[labels[t] as number]) return false;
  return true;
}

/**
 * Splits a label into the B/I prefix and tag that grouping uses, with BIOES (and BILOU) read as BIO: `E-X` (`L-X`)
 * continues like `I-X`, `S-X` (`U-X`) starts like `B-X`; a bare label counts as a continuation.
 *
 * @example
 * splitChunkTag("S-PER"); // { bi: "B", tag: "PER" }
 * splitChunkTag("E-PER"); // { bi: "I", tag: "PER" }
 */
export function splitChunkTag(label: string): { bi: "B" | "I"; tag: string } {
  const { prefix, tag } = parseLabel(label);
  return { bi: prefix === "B" || prefix === "S" ? "B" : "I", tag };
}

/**
 * The index of the largest value (the first of equals), as argmax decoding picks a label.
 *
 * @example
 * argmax(Float64Array.of(0.1, 0.7, 0.2)); // 1
 */
export function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
