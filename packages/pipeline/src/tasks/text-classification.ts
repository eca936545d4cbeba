import { type Classification, type ClassifyCallOptions, type Classifier, createClassifier } from "@proj/encoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * A text-classification (sentiment) pipeline: call it with a text for its labels, best first, or with texts
 * for one list per text.
 *
 * @example
 * const classify = await pipeline("sentiment-analysis");
 * const [best] = await classify("I love this movie"); // { label: "POSITIVE", score: 0.99 }
 * const perText = await classify(["great", "awful"], { topK: null });
 */
export interface TextClassificationPipeline extends PipelineBase<"text-classification", Classifier> {
  /** Classifies one text: its labels, best first (`topK` of them, 1 by default). */
  (text: string, options?: ClassifyCallOptions): Promise<Classification[]>;
  /** Classifies several texts in batches: one list of labels per text. */
  (texts: string[], options?: ClassifyCallOptions): Promise<Classification[][]>;
}

/**
 * Builds a {@link TextClassificationPipeline} with `@proj/encoder`'s `createClassifier`.
 *
 * @internal
 */
export async function textClassificationPipeline(context: FactoryContext): Promise<TextClassificationPipeline> {
  const handle = await createClassifier(context.modelId, context.create);
  const call = (input: string | string[], options?: ClassifyCallOptions) => handle.classify(input as string, options);
  return callable<TextClassificationPipeline>(call, baseOf(context, handle));
}
