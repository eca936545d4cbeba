import { createEmbedder, type EmbedCallOptions, type Embedder, type EmbeddingOf, type Precision } from "@proj/encoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * A feature-extraction (embeddings) pipeline: call it with a text for its embedding, or with texts for one embedding
 * each (a `Float32Array`, or an `Int8Array`/`Uint8Array` for a quantized `precision`).
 *
 * @example
 * const extract = await pipeline("feature-extraction");
 * const vector = await extract("a dog runs"); // Float32Array(384)
 * const vectors = await extract(["a dog runs", "a cat sleeps"], { dimensions: 128 });
 */
export interface FeatureExtractionPipeline extends PipelineBase<"feature-extraction", Embedder> {
  /** Embeds one text. */
  <P extends Precision = "float32">(text: string, options?: EmbedCallOptions<P>): Promise<EmbeddingOf<P>>;
  /** Embeds many texts in length-bucketed batches, in input order. */
  <P extends Precision = "float32">(texts: string[], options?: EmbedCallOptions<P>): Promise<Array<EmbeddingOf<P>>>;
}

/**
 * Builds a {@link FeatureExtractionPipeline} with `@proj/encoder`'s `createEmbedder`.
 *
 * @internal
 */
export async function featureExtractionPipeline(context: FactoryContext): Promise<FeatureExtractionPipeline> {
  const handle = await createEmbedder(context.modelId, context.create);
  const call = (input: string | string[], options?: EmbedCallOptions) => handle.embed(input as string, options);
  return callable<FeatureExtractionPipeline>(call, baseOf(context, handle));
}
