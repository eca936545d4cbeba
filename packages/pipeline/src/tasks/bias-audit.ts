import { type AuditBiasOptions, auditBias, type BiasReport, createFillMask, type FillMasker } from "@proj/encoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * Options of one bias audit through a pipeline: the probes, the groups, how many completions to list.
 *
 * @example
 * const options: BiasAuditCallOptions = { groups: { men: ["man", "he"], women: ["woman", "she"] }, topK: 5 };
 */
export type BiasAuditCallOptions = Omit<AuditBiasOptions, "model" | "load">;

/**
 * A bias-audit pipeline over a masked language model: call it (optionally with templates and groups) for a
 * `BiasReport` (from `@proj/encoder`) of what the model completes for each group.
 *
 * @example
 * const audit = await pipeline("bias-audit");
 * const report = await audit({ topK: 5 });
 * console.log(renderBiasReport(report));
 */
export interface BiasAuditPipeline extends PipelineBase<"bias-audit", FillMasker> {
  /** Runs the probes (the default occupation and trait templates, men vs women, unless given). */
  (options?: BiasAuditCallOptions): Promise<BiasReport>;
}

/**
 * Builds a {@link BiasAuditPipeline}: a `createFillMask` handle that `auditBias` runs on.
 *
 * @internal
 */
export async function biasAuditPipeline(context: FactoryContext): Promise<BiasAuditPipeline> {
  const handle = await createFillMask(context.modelId, context.create);
  const call = (options: BiasAuditCallOptions = {}) => auditBias({ ...options, model: handle });
  return callable<BiasAuditPipeline>(call, baseOf(context, handle));
}
