import type { LogitsProcessor } from "./logits-processor.js";

/**
 * Forbids any token that would repeat an n-gram already in the sequence (prompt included), using the
 * sequence's incremental n-gram index.
 *
 * @example
 * noRepeatNgram()(logits, state); // the state was created with ngramSize 3
 */
export function noRepeatNgram(): LogitsProcessor {
  return (logits, state) => {
    const banned = state.bannedByNgrams();
    if (banned) for (const token of banned) logits[token] = Number.NEGATIVE_INFINITY;
  };
}
