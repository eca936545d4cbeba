import type { CanonicalTask } from "@proj/chooser";
import { DisposedError, type LoadedModel } from "@proj/core";

/**
 * What every pipeline has besides being callable: its task, the model handle it owns, and `dispose()`.
 *
 * @typeParam T - the canonical task.
 * @typeParam H - the task package's handle type (e.g. `Classifier`).
 * @example
 * const classify = await pipeline("sentiment-analysis");
 * classify.task; // "text-classification"
 * await classify.dispose();
 */
export interface PipelineBase<T extends CanonicalTask, H> {
  /** The canonical task. */
  readonly task: T;
  /** The task name as given to {@link pipeline} (an alias such as `"sentiment-analysis"`, or the canonical name). */
  readonly requested: string;
  /** The model folder or Hub id the pipeline loaded. */
  readonly modelId: string;
  /** The task package's handle, for anything the pipeline does not expose. */
  readonly handle: H;
  /** The loaded model: configs, tokenizer, sessions. */
  readonly model: LoadedModel;
  /** True once {@link PipelineBase.dispose} has run. */
  readonly disposed: boolean;
  /** Frees the model's native memory. Calls after it throw `DisposedError`. Safe to call twice. */
  dispose(): Promise<void>;
}

/** A handle of any task package: it owns a loaded model and can be disposed. @internal */
export interface OwnedHandle {
  readonly model: LoadedModel;
  dispose(): Promise<void>;
}

/**
 * Makes a callable pipeline: `call` with the {@link PipelineBase} properties (and `extra` ones such as `stream`)
 * attached. After `dispose()`, calling it throws a `DisposedError`.
 *
 * @example
 * const p = callable<TextClassificationPipeline>((text, o) => handle.classify(text, o), { task, requested, modelId, handle });
 * @internal
 */
export function callable<P>(
  call: (...args: never[]) => unknown,
  base: { task: CanonicalTask; requested: string; modelId: string; handle: OwnedHandle },
  extra: Record<string, unknown> = {},
): P {
  let disposed = false;
  const guard = (): void => {
    if (disposed) throw new DisposedError(`The ${base.task} pipeline of ${base.modelId}`);
  };
  const fn = (...args: never[]): unknown => {
    guard();
    return call(...args);
  };
  const guarded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extra)) {
    guarded[key] =
      typeof value === "function"
        ? (...args: unknown[]) => {
            guard();
            return (value as (...a: unknown[]) => unknown)(...args);
          }
        : value;
  }
  Object.defineProperties(fn, {
    task: { value: base.task, enumerable: true },
    requested: { value: base.requested, enumerable: true },
    modelId: { value: base.modelId, enumerable: true },
    handle: { value: base.handle, enumerable: true },
    model: { get: () => base.handle.model, enumerable: true },
    disposed: { get: () => disposed, enumerable: true },
    dispose: {
      value: async () => {
        if (disposed) return;
        disposed = true;
        await base.handle.dispose();
      },
    },
  });
  Object.assign(fn, guarded);
  return fn as P;
}
