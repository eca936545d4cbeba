import type { ResolvedTask, TaskRow } from "@proj/chooser";
import type { LoadedModel, LoadOptions } from "@proj/core";
import type { TranslationPipelineOptions } from "./options.js";

/**
 * What a task's pipeline factory gets: the chooser's row, the resolved task name, the model to load and how.
 *
 * @example
 * const handle = await createClassifier(context.modelId, context.create);
 * @internal
 */
export interface FactoryContext {
  /** The task's row in the chooser table. */
  row: TaskRow;
  /** The task name as resolved (with the languages of `translation_xx_to_yy`). */
  resolved: ResolvedTask;
  /** The folder or Hub id to load: the caller's, or the task's default. */
  modelId: string;
  /** How to load it (checked). */
  load: LoadOptions;
  /** Cancels loading. */
  signal: AbortSignal | undefined;
  /** The options of every task package's `create*(model, options)`: `{ load, signal }`. */
  create: { load: LoadOptions; signal?: AbortSignal };
  /** The pipeline options as given (checked). */
  options: TranslationPipelineOptions;
}

/**
 * The base properties of a pipeline built from a factory context and its handle.
 *
 * @internal
 */
export function baseOf<H extends { readonly model: LoadedModel; dispose(): Promise<void> }>(
  context: FactoryContext,
  handle: H,
): { task: TaskRow["task"]; requested: string; modelId: string; handle: H } {
  return { task: context.row.task, requested: context.resolved.requested, modelId: context.modelId, handle };
}
