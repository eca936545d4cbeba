// The optional second stage: a cross-encoder reads the query with each candidate and reorders them.
import { rerank } from "@proj/encoder";
import type { Hit } from "./store.js";

/** A hit after reranking: `score` is still the vector search's cosine, `rerankScore` the cross-encoder's. */
export interface RerankedHit extends Hit {
  rerankScore: number;
}

/**
 * Reorders the candidates of a vector search by `rerank()`'s relevance scores (best first; equal scores keep the
 * vector-search order) and keeps the first `k`.
 *
 * @example
 * const candidates = await search(table, query, 50);
 * const top = await rerankHits("a dog runs on the beach", candidates, "Xenova/ms-marco-MiniLM-L-6-v2", 10);
 */
export async function rerankHits(query: string, candidates: readonly Hit[], model: string, k: number): Promise<RerankedHit[]> {
  if (candidates.length === 0) return [];
  const ranked = await rerank(
    query,
    candidates.map((hit) => hit.text),
    { model, topK: k },
  );
  return ranked.map((r) => ({ ...(candidates[r.index] as Hit), rerankScore: r.score }));
}
