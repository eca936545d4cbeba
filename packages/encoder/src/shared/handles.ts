import { disposeCachedHandles as disposeGroup } from "@proj/core";
import { type Disposable, type HandleCache, resolveTaskHandle, taskHandleCache } from "@proj/core/internal";
import { type EncoderLoadOptions, loadOptionsOf } from "./options.js";

/**
 * The task a handle serves, so that a handle given to the wrong function is refused clearly.
 *
 * @example
 * (await createClassifier("./models/sst2")).task; // "classify"
 */
export type HandleTask = "classify" | "ner" | "answer" | "fillMask";

const CREATE_NAMES: Record<HandleTask, string> = {
  classify: "createClassifier",
  ner: "createTokenClassifier",
  answer: "createQuestionAnswerer",
  fillMask: "createFillMask",
};

/**
 * A per-task cache of handles for the one-shot functions, registered with core under "encoder" so that
 * {@link disposeCachedHandles} can free them all.
 *
 * @example
 * const classifiers = taskCache<Classifier>();
 * @internal
 */
export function taskCache<H extends Disposable>(): HandleCache<H> {
  return taskHandleCache<H>("encoder");
}

/**
 * The handle a one-shot call uses: the one passed as `model`, or a cached one for the model id (the task's default
 * when omitted) and load options, created on first use.
 *
 * @example
 * const classifier = await resolveHandle(options.model, options, "classify", DEFAULT_CLASSIFY_MODEL, cache, createClassifier);
 * @internal
 */
export function resolveHandle<H extends Disposable & { readonly task: HandleTask }>(
  model: string | H | undefined,
  options: EncoderLoadOptions,
  task: HandleTask,
  defaultModel: string,
  cache: HandleCache<H>,
  create: (model: string, options: EncoderLoadOptions) => Promise<H>,
): Promise<H> {
  return resolveTaskHandle({
    model,
    task,
    defaultModel,
    cache,
    load: loadOptionsOf(options),
    create: (id, load) => create(id, load as EncoderLoadOptions),
    createName: CREATE_NAMES[task],
    signal: (options as { signal?: AbortSignal }).signal,
  });
}

/**
 * Disposes every model the one-shot functions (`classify`, `ner`, `answer`, `fillMask`, `auditBias`) have cached,
 * freeing their native memory. Handles made with `create*()` are not touched: they are yours to dispose.
 *
 * @example
 * await classify("Nice!", { model: "./models/sst2" });
 * await disposeCachedHandles(); // the next classify() loads the model again
 */
export function disposeCachedHandles(): Promise<void> {
  return disposeGroup("encoder");
}
