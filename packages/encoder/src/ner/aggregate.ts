import { argmax, decodeConstrained, splitChunkTag, type TagTransitions } from "./constrained-decoding.js";
import type { PreEntity } from "./pre-entities.js";
import type { AggregationStrategy } from "./types.js";

/**
 * An entity before its word is decoded: the tokens it spans.
 *
 * @example
 * const [first] = aggregate(pre, "simple", id2label); // { entity: "PER", score, start, end, tokens }
 */
export interface RawEntity {
  /** The label (`"B-PER"`) for tokens and words, the entity type (`"PER"`) for groups. */
  entity: string;
  score: number;
  start: number;
  end: number;
  /** The tokens it spans, in order. */
  tokens: PreEntity[];
  /** For single tokens (`"none"`): the position in the encoded sequence. */
  index?: number;
}

/**
 * Aggregates the tokens of one row into entities, exactly as the Hugging Face token-classification pipeline:
 * `"none"` labels each token with its argmax; `"simple"` then merges tags; `"first"`/`"average"`/`"max"` first
 * make the tokens of a word agree on one probability row (its first token's, their mean, or its most confident
 * token's), label the word with its argmax, then merge.
 *
 * With `transitions` (`decoding: "constrained"`), the tokens (`"none"`, `"simple"`) or words get the most probable
 * legal label sequence of the row instead of their argmax ({@link decodeConstrained}), each with that label's
 * probability as score; merging then reads BIOES labels as BIO.
 *
 * @example
 * aggregate(preEntities, "first", { 0: "O", 1: "B-PER", 2: "I-PER" });
 * aggregate(preEntities, "first", id2label, tagTransitions(labelList(id2label, 9), "auto"));
 */
export function aggregate(
  pre: readonly PreEntity[],
  strategy: AggregationStrategy,
  id2label: Readonly<Record<number, string>>,
  transitions?: TagTransitions,
): RawEntity[] {
  const label = (i: number): string => id2label[i] ?? `LABEL_${i}`;
  const units =
    strategy === "none" || strategy === "simple"
      ? pre.map((token) => ({ scores: token.scores, tokens: [token] }))
      : splitWords(pre).map((tokens) => ({ scores: wordScores(tokens, strategy), tokens }));
  const labels = transitions
    ? decodeConstrained(
        units.map((u) => u.scores),
        transitions,
      )
    : units.map((u) => argmax(u.scores));
  const entities = units.map(({ scores, tokens }, u): RawEntity => {
    const best = labels[u] as number;
    const first = tokens[0] as PreEntity;
    const entity: RawEntity = {
      entity: label(best),
      score: scores[best] as number,
      start: first.start,
      end: (tokens[tokens.length - 1] as PreEntity).end,
      tokens,
    };
    if (strategy === "none" || strategy === "simple") entity.index = first.index;
    return entity;
  });
  if (strategy === "none") return entities;
  return groupEntities(entities, transitions?.scheme === "BIOES" ? splitChunkTag : splitTag);
}

/** Splits tokens into words: a word is a token and the subword tokens that follow it. */
function splitWords(pre: readonly PreEntity[]): PreEntity[][] {
  const words: PreEntity[][] = [];
  let group: PreEntity[] = [];
  for (const token of pre) {
    if (group.length > 0 && !token.isSubword) {
      words.push(group);
      group = [];
    }
    group.push(token);
  }
  if (group.length > 0) words.push(group);
  return words;
}

/** The probability row of a word: its first token's, its most confident token's, or its tokens' mean. */
function wordScores(tokens: readonly PreEntity[], strategy: "first" | "average" | "max"): Float64Array {
  const first = tokens[0] as PreEntity;
  if (strategy === "first") return first.scores;
  if (strategy === "max") {
    // The token whose best label is the most confident (the first such token on ties).
    let best = first;
    for (const token of tokens) if (max(token.scores) > max(best.scores)) best = token;
    return best.scores;
  }
  const scores = new Float64Array(first.scores.length);
  for (const token of tokens) for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) + (token.scores[i] as number);
  for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] as number) / tokens.length;
  return scores;
}

/**
 * Splits a label into its B/I prefix and its tag; a label without a prefix counts as `I-` (a continuation).
 *
 * @example
 * splitTag("B-PER"); // { bi: "B", tag: "PER" }
 * splitTag("O"); // { bi: "I", tag: "O" }
 */
export function splitTag(label: string): { bi: "B" | "I"; tag: string } {
  if (label.startsWith("B-")) return { bi: "B", tag: label.slice(2) };
  if (label.startsWith("I-")) return { bi: "I", tag: label.slice(2) };
  return { bi: "I", tag: label };
}

/**
 * Merges adjacent entities with the same tag into one group, unless the next one starts with `B-`.
 * The group's tag drops the prefix (text after the first `-`), its score is the mean of its members' scores.
 * `split` reads a label's prefix and tag ({@link splitTag}, the pipeline's reading, unless told otherwise).
 *
 * @example
 * // B-PER "ada", I-PER "love", I-PER "##lace", O "lived" -> PER "ada lovelace", O "lived"
 * groupEntities(words);
 */
export function groupEntities(
  entities: readonly RawEntity[],
  split: (label: string) => { bi: "B" | "I"; tag: string } = splitTag,
): RawEntity[] {
  const groups: RawEntity[] = [];
  let pending: RawEntity[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const head = pending[0] as RawEntity;
    const dash = head.entity.indexOf("-");
    groups.push({
      entity: dash >= 0 ? head.entity.slice(dash + 1) : head.entity,
      score: pending.reduce((s, e) => s + e.score, 0) / pending.length,
      start: head.start,
      end: (pending[pending.length - 1] as RawEntity).end,
      tokens: pending.flatMap((e) => e.tokens),
    });
    pending = [];
  };
  for (const entity of entities) {
    const last = pending[pending.length - 1];
    if (last) {
      const current = split(entity.entity);
      if (!(current.tag === split(last.entity).tag && current.bi !== "B")) flush();
    }
    pending.push(entity);
  }
  flush();
  return groups;
}

/**
 * Stitches the entities of overlapping windows of one text: sorted by start, an entity that starts inside the
 * previous one replaces it when it is longer, or as long and more confident; otherwise it is dropped.
 * (The Hugging Face pipeline's `aggregate_overlapping_entities`.)
 *
 * @example
 * stitchWindows([{ start: 0, end: 5, ... }, { start: 0, end: 5, ... }]); // one entity
 */
export function stitchWindows<E extends { start: number; end: number; score: number }>(entities: readonly E[]): E[] {
  if (entities.length === 0) return [];
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  const out: E[] = [];
  let previous = sorted[0] as E;
  for (const entity of sorted.slice(1)) {
    if (previous.start <= entity.start && entity.start < previous.end) {
      const length = entity.end - entity.start;
      const previousLength = previous.end - previous.start;
      if (length > previousLength || (length === previousLength && entity.score > previous.score)) previous = entity;
    } else {
      out.push(previous);
      previous = entity;
    }
  }
  out.push(previous);
  return out;
}

function max(values: Float64Array): number {
  return values[argmax(values)] as number;
}
