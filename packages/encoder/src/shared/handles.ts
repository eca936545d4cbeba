import type { TaskOptions } from "@proj/core";
import { type Disposable, type HandleCache, resolveTaskHandle, taskHandleCache } from "@proj/core/internal";
import { defaultModel, type EncoderDefaultTask } from "./default-model.js";
import type { CreateOptions } from "./options.js";

/**
 * The task a handle serves, so that a handle given to the wrong function is refused clearly.
 *
 * @example
 * (await createClassifier("./models/sst2")).task; // "classify"
 */
export type HandleTask = "classify" | "ner" | "answer" | "fillMask" | "embed" | "rerank" | "classifyZeroShot";

const CREATE_NAMES: Record<HandleTask, string> = {
  classify: "createClassifier",
  ner: "createTokenClassifier",
  answer: "createQuestionAnswerer",
  fillMask: "createFillMask",
  embed: "createEmbedder",
  rerank: "createReranker",
  classifyZeroShot: "createZeroShotClassifier",
};

/**
 * A per-task cache of handles for the one-shot functions, registered with core under "encoder" so that core's
 * `disposeCachedHandles()` (re-exported by this package) frees them.
 *
 * @example
 * const classifiers = taskCache<Classifier>();
 * @internal
 */
export function taskCache<H extends Disposable>(): HandleCache<H> {
  return taskHandleCache<H>("encoder");
}

/**
 * The handle a one-shot call uses: the one passed as `model`, or a cached one for the model id (when omitted, the
 * default model of `defaultTask` by the chooser's one rule) and `load` options, created on first use (the cache key includes everything that changes what is
 * loaded, Hub endpoint, cache folder and revision included).
 *
 * @example
 * const classifier = await resolveHandle(options, "classify", "text-classification", cache, createClassifier);
 * @internal
 */
export function resolveHandle<H extends Disposable & { readonly task: HandleTask }>(
  options: TaskOptions<H>,
  task: HandleTask,
  defaultTask: EncoderDefaultTask,
  cache: HandleCache<H>,
  create: (model: string, options: CreateOptions) => Promise<H>,
): Promise<H> {
  return resolveTaskHandle({
    model: options.model,
    task,
    defaultModel: defaultModel(defaultTask),
    cache,
    load: options.load ?? {},
    create: (id, load) => create(id, { load }),
    createName: CREATE_NAMES[task],
    signal: options.signal,
  });
}
