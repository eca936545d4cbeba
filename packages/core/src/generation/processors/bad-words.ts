import type { LogitsProcessor } from "./logits-processor.js";

/**
 * Forbids token sequences: a one-token sequence is always banned; a longer one bans its last token
 * whenever the sequence ends with the rest of it.
 *
 * @example
 * badWords([[42], [7, 8]])(logits, state);
 */
export function badWords(sequences: readonly (readonly number[])[]): LogitsProcessor {
  const single = sequences.filter((s) => s.length === 1).map((s) => s[0] as number);
  const multi = sequences.filter((s) => s.length > 1);
  return (logits, state) => {
    for (const token of single) logits[token] = Number.NEGATIVE_INFINITY;
    const tokens = state.tokens;
    for (const seq of multi) {
      const prefix = seq.length - 1;
      if (tokens.length < prefix) continue;
      let match = true;
      for (let i = 0; i < prefix && match; i++) match = tokens[tokens.length - prefix + i] === seq[i];
      if (match) logits[seq[prefix] as number] = Number.NEGATIVE_INFINITY;
    }
  };
}
