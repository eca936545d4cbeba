// Recall@k: how many of a query's answers are among the first k results, averaged over the queries.

/**
 * Mean recall@k over queries: for each query, the share of its relevant ids found in its first `k` ranked ids.
 *
 * @example
 * recallAt([[3, 1, 2]], [[1]], 1); // 0
 * recallAt([[3, 1, 2]], [[1]], 2); // 1
 */
export function recallAt(ranked: readonly (readonly number[])[], relevant: readonly (readonly number[])[], k: number): number {
  if (ranked.length === 0) return 0;
  let sum = 0;
  ranked.forEach((ids, q) => {
    const want = relevant[q] ?? [];
    const top = new Set(ids.slice(0, k));
    sum += want.length === 0 ? 0 : want.filter((id) => top.has(id)).length / want.length;
  });
  return sum / ranked.length;
}

/** The cut-offs the example reports. */
export const RECALL_KS = [1, 5, 10] as const;

/**
 * One line of the recall table, in the format the test parses: `name: recall@1 0.712  recall@5 0.894  recall@10 0.932`.
 *
 * @example
 * recallLine("TF-IDF", ranked, relevant); // "TF-IDF: recall@1 0.598  recall@5 0.811  recall@10 0.867"
 */
export function recallLine(name: string, ranked: readonly (readonly number[])[], relevant: readonly (readonly number[])[]): string {
  return `${name}: ${RECALL_KS.map((k) => `recall@${k} ${recallAt(ranked, relevant, k).toFixed(3)}`).join("  ")}`;
}
