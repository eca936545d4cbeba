import { createZeroShotClassifier, type ZeroShotCallOptions, type ZeroShotClassifier, type ZeroShotResult } from "@proj/encoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * A zero-shot classification pipeline: call it with a text (or texts) and candidate labels for the labels best first
 * and their scores, as the Hugging Face pipeline returns them.
 *
 * @example
 * const zeroShot = await pipeline("zero-shot-classification");
 * await zeroShot("The striker scored twice", ["sports", "politics"]);
 * // { sequence: "The striker scored twice", labels: ["sports", "politics"], scores: [0.95, 0.05] }
 */
export interface ZeroShotClassificationPipeline extends PipelineBase<"zero-shot-classification", ZeroShotClassifier> {
  /** Classifies one text into the candidate labels. */
  (text: string, candidateLabels: string[], options?: ZeroShotCallOptions): Promise<ZeroShotResult>;
  /** Classifies many texts into the same candidate labels, in input order. */
  (texts: string[], candidateLabels: string[], options?: ZeroShotCallOptions): Promise<ZeroShotResult[]>;
}

/**
 * Builds a {@link ZeroShotClassificationPipeline} with `@proj/encoder`'s `createZeroShotClassifier`.
 *
 * @internal
 */
export async function zeroShotClassificationPipeline(context: FactoryContext): Promise<ZeroShotClassificationPipeline> {
  const handle = await createZeroShotClassifier(context.modelId, context.create);
  const call = (input: string | string[], labels: string[], options?: ZeroShotCallOptions) =>
    handle.classify(input as string, labels, options);
  return callable<ZeroShotClassificationPipeline>(call, baseOf(context, handle));
}
