import { type Disposable, HandleCache, InputError } from "@proj/core";
import { type EncoderLoadOptions, handleKey, loadOptionsOf } from "./options.js";
import { describe } from "./validate.js";

const caches: Array<HandleCache<Disposable>> = [];

/**
 * The task a handle serves, so that a handle given to the wrong function is refused clearly.
 *
 * @example
 * (await createClassifier("./models/sst2")).task; // "classify"
 */
export type HandleTask = "classify" | "ner" | "answer" | "fillMask";

/**
 * A per-task cache of handles for the one-shot functions, registered so that
 * {@link disposeCachedHandles} can free them all.
 *
 * @example
 * const classifiers = taskCache<Classifier>();
 * @internal
 */
export function taskCache<H extends Disposable>(): HandleCache<H> {
  const cache = new HandleCache<H>();
  caches.push(cache as unknown as HandleCache<Disposable>);
  return cache;
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
  if (model !== undefined && typeof model !== "string") {
    const handle = model as Partial<H> | null;
    if (handle === null || typeof handle !== "object" || typeof handle.dispose !== "function" || handle.task === undefined) {
      throw new InputError(`${task}() expects model to be a folder path, a Hub id or a handle, got ${describe(model)}`);
    }
    if (handle.task !== task) {
      throw new InputError(`${task}() was given a handle made for ${handle.task}()`, {
        hint: `create the handle with the ${task} task's create function, or pass the model folder or Hub id`,
      });
    }
    return Promise.resolve(model);
  }
  if (model !== undefined && model.trim() === "") {
    throw new InputError(`${task}() was given an empty model id`, {
      hint: `omit model for the default "${defaultModel}", or pass a folder or Hub id`,
    });
  }
  const id = model ?? defaultModel;
  const load = loadOptionsOf(options);
  return cache.get(handleKey(id, load), () => create(id, load));
}

/**
 * Disposes every model the one-shot functions (`classify`, `ner`, `answer`, `fillMask`, `auditBias`) have cached,
 * freeing their native memory. Handles made with `create*()` are not touched: they are yours to dispose.
 *
 * @example
 * await classify("Nice!", { model: "./models/sst2" });
 * await disposeCachedHandles(); // the next classify() loads the model again
 */
export async function disposeCachedHandles(): Promise<void> {
  await Promise.all(caches.map((c) => c.clear()));
}
