import { createTokenClassifier, type Entity, type NerCallOptions, type TokenClassifier } from "@proj/encoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * A named-entity (token-classification) pipeline: call it with a text for its entities, with offsets into it.
 *
 * @example
 * const ner = await pipeline("ner");
 * const entities = await ner("Ada Lovelace was born in London.", { aggregation: "simple" });
 * // [{ entity: "PER", word: "Ada Lovelace", start: 0, end: 12, score: 0.99 }, ...]
 */
export interface TokenClassificationPipeline extends PipelineBase<"token-classification", TokenClassifier> {
  /** The entities of one text. */
  (text: string, options?: NerCallOptions): Promise<Entity[]>;
  /** The entities of each text, in input order. */
  (texts: string[], options?: NerCallOptions): Promise<Entity[][]>;
}

/**
 * Builds a {@link TokenClassificationPipeline} with `@proj/encoder`'s `createTokenClassifier`.
 *
 * @internal
 */
export async function tokenClassificationPipeline(context: FactoryContext): Promise<TokenClassificationPipeline> {
  const handle = await createTokenClassifier(context.modelId, context.create);
  const call = (input: string | string[], options?: NerCallOptions) => handle.ner(input as string, options);
  return callable<TokenClassificationPipeline>(call, baseOf(context, handle));
}
