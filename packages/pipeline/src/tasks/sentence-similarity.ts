import { cosineSimilarity, createEmbedder, type EmbedCallOptions, type Embedder } from "@proj/encoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * Options of a sentence-similarity call: how both sides are embedded (float32 only; the cosine of quantized codes
 * is not the similarity).
 *
 * @example
 * const options: SentenceSimilarityCallOptions = { dimensions: 128, batchSize: 16 };
 */
export type SentenceSimilarityCallOptions = Omit<EmbedCallOptions<"float32">, "precision" | "ranges">;

/**
 * A sentence-similarity pipeline, as the Hugging Face task: call it with a source sentence and sentences to compare,
 * for the cosine similarity of the source to each, in order.
 *
 * @example
 * const similarity = await pipeline("sentence-similarity");
 * await similarity("A dog runs", ["A puppy is running", "The market fell"]); // [0.83, 0.05]
 */
export interface SentenceSimilarityPipeline extends PipelineBase<"sentence-similarity", Embedder> {
  /** The cosine similarity of `source` to each sentence, in order. */
  (source: string, sentences: string[], options?: SentenceSimilarityCallOptions): Promise<number[]>;
}

/**
 * Builds a {@link SentenceSimilarityPipeline} with `@proj/encoder`'s `createEmbedder` and `cosineSimilarity`.
 *
 * @internal
 */
export async function sentenceSimilarityPipeline(context: FactoryContext): Promise<SentenceSimilarityPipeline> {
  const handle = await createEmbedder(context.modelId, context.create);
  const call = async (source: string, sentences: string[], options?: SentenceSimilarityCallOptions): Promise<number[]> => {
    const [query, ...others] = await handle.embed([source, ...(Array.isArray(sentences) ? sentences : [sentences as never])], options);
    return others.map((other) => cosineSimilarity(query as Float32Array, other));
  };
  return callable<SentenceSimilarityPipeline>(call, baseOf(context, handle));
}
