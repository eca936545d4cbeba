import { createReranker, type RerankCallOptions, type Reranker, type RerankResult } from "@proj/encoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * A text-ranking (reranking) pipeline: call it with a query and documents for the documents' relevance, best first.
 *
 * @example
 * const rank = await pipeline("text-ranking");
 * await rank("how fast do dogs run?", ["Cats sleep a lot.", "Greyhounds reach 70 km/h."], { topK: 1 });
 * // [{ index: 1, score: 0.97 }]
 */
export interface TextRankingPipeline extends PipelineBase<"text-ranking", Reranker> {
  /** Scores every document against the query: best first, `topK` of them. */
  (query: string, documents: string[], options?: RerankCallOptions): Promise<RerankResult[]>;
}

/**
 * Builds a {@link TextRankingPipeline} with `@proj/encoder`'s `createReranker`.
 *
 * @internal
 */
export async function textRankingPipeline(context: FactoryContext): Promise<TextRankingPipeline> {
  const handle = await createReranker(context.modelId, context.create);
  const call = (query: string, documents: string[], options?: RerankCallOptions) => handle.rerank(query, documents, options);
  return callable<TextRankingPipeline>(call, baseOf(context, handle));
}
