import { createFillMask, type FillMaskCallOptions, type FillMasker, type FillMaskPrediction } from "@proj/encoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * A fill-mask pipeline: call it with a text holding the model's mask token (`pipe.maskToken`) for the best
 * candidates behind it.
 *
 * @example
 * const unmask = await pipeline("fill-mask");
 * const [best] = await unmask(`Paris is the ${unmask.maskToken} of France.`); // { tokenStr: "capital", ... }
 */
export interface FillMaskPipeline extends PipelineBase<"fill-mask", FillMasker> {
  /** The best candidates for the mask of one text. */
  (text: string, options?: FillMaskCallOptions): Promise<FillMaskPrediction[]>;
  /** The best candidates for the mask of each text, in input order. */
  (texts: string[], options?: FillMaskCallOptions): Promise<FillMaskPrediction[][]>;
  /** The mask token to write in texts, e.g. `"[MASK]"` (BERT) or `"<mask>"` (RoBERTa). */
  readonly maskToken: string;
}

/**
 * Builds a {@link FillMaskPipeline} with `@proj/encoder`'s `createFillMask`.
 *
 * @internal
 */
export async function fillMaskPipeline(context: FactoryContext): Promise<FillMaskPipeline> {
  const handle = await createFillMask(context.modelId, context.create);
  const call = (input: string | string[], options?: FillMaskCallOptions) => handle.fillMask(input as string, options);
  return callable<FillMaskPipeline>(call, baseOf(context, handle), { maskToken: handle.maskToken });
}
