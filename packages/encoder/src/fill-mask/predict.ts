import { logSumExp } from "../shared/activations.js";
import { topKIndices } from "../shared/top-k.js";

/**
 * A candidate id and its probability.
 *
 * @example
 * const best: ScoredToken = { token: 3007, score: 0.71 };
 */
export interface ScoredToken {
  token: number;
  score: number;
}

/**
 * The best tokens at a mask from its row of vocabulary logits: top-k is selected on the logits (softmax keeps their
 * order) and only the k winners are turned into probabilities, so nothing the size of the vocabulary is allocated.
 * With `targets`, only those ids compete (probabilities still over the whole vocabulary).
 *
 * @example
 * bestTokens(logits, 5); // [{ token: 3007, score: 0.71 }, ...]
 */
export function bestTokens(logits: Float32Array, k: number, targets?: readonly number[]): ScoredToken[] {
  const lse = logSumExp(logits, 0, logits.length);
  const prob = (id: number): number => Math.exp((logits[id] as number) - lse);
  if (targets) {
    const scores = targets.map((id) => logits[id] as number);
    return topKIndices(scores, k).map((i) => ({ token: targets[i] as number, score: prob(targets[i] as number) }));
  }
  return topKIndices(logits, k).map((id) => ({ token: id, score: prob(id) }));
}
