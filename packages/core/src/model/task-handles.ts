import { InputError } from "../errors.js";
import { describeValue } from "../options/describe-value.js";
import { sessionOptionsKey } from "../session/session-options.js";
import { type Disposable, HandleCache } from "./handle-cache.js";
import type { LoadModelOptions } from "./load-model.js";
import { processGlobal } from "../process-global.js";

/** A task handle (classifier, generator, translator ...): disposable, and tagged with the task it serves. */
export interface TaskHandle extends Disposable {
  /** The task the handle serves, e.g. `"classify"` or `"translate"`. */
  readonly task: string;
}

const registry = processGlobal("handle-caches", (): Array<{ group: string; cache: HandleCache<Disposable> }> => []);

/**
 * A cache of handles for a package's one-shot functions, registered under `group` (the package) so that
 * {@link disposeCachedHandles} can free them.
 *
 * @example
 * const classifiers = taskHandleCache<Classifier>("encoder");
 */
export function taskHandleCache<H extends Disposable>(group: string): HandleCache<H> {
  const cache = new HandleCache<H>();
  registry.push({ group, cache: cache as unknown as HandleCache<Disposable> });
  return cache;
}

/**
 * Disposes the handles the one-shot functions have cached: those of one group (a package), or all of them.
 * Handles made with `create*()` are not touched: they are the caller's to dispose.
 *
 * @example
 * await disposeCachedHandles();          // every package
 * await disposeCachedHandles("encoder"); // classify, ner, answer, fillMask only
 */
export async function disposeCachedHandles(group?: string): Promise<void> {
  await Promise.all(registry.filter((r) => group === undefined || r.group === group).map((r) => r.cache.clear()));
}

/**
 * A stable cache key for a model id and the load options that change what is loaded.
 *
 * @example
 * loadOptionsKey("Xenova/gpt2", { threads: 2 });
 */
export function loadOptionsKey(model: string, load: LoadModelOptions): string {
  const hub = load.hub;
  return JSON.stringify([
    model,
    sessionOptionsKey(load),
    load.dtype ?? "auto",
    load.graphs ?? null,
    load.family ?? null,
    load.fullLogits ?? false,
    hub ? [hub.revision ?? "main", hub.cacheDir ?? null, hub.endpoint ?? null, hub.offline ?? null] : null,
  ]);
}

/** What {@link resolveTaskHandle} needs. */
export interface ResolveTaskHandleOptions<H extends TaskHandle> {
  /** The caller's `model` option: a handle, a folder or Hub id, or `undefined` for the default. */
  model: string | H | undefined;
  /** The task of the calling function, e.g. `"classify"`. */
  task: H["task"];
  /** The model used when `model` is omitted. */
  defaultModel: string;
  /** The package's cache for this task. */
  cache: HandleCache<H>;
  /** Load options for a model given by id. */
  load: LoadModelOptions;
  /** Creates the handle for a model id. */
  create: (model: string, load: LoadModelOptions) => Promise<H>;
  /** Name of the create function, for the error hint, e.g. `"createClassifier"`. */
  createName: string;
  /** The call's signal: the call stops waiting for a (shared) load when it fires. */
  signal?: AbortSignal | undefined;
}

/**
 * The handle a one-shot call uses: the handle passed as `model` (checked to serve this task), or a cached one for
 * the folder or Hub id (the task's default when omitted), loaded once; concurrent first calls share the load.
 *
 * @example
 * const classifier = await resolveTaskHandle({ model: options.model, task: "classify", defaultModel, cache, load, create: createClassifier, createName: "createClassifier" });
 */
export function resolveTaskHandle<H extends TaskHandle>(options: ResolveTaskHandleOptions<H>): Promise<H> {
  const { model, task } = options;
  if (model !== undefined && typeof model !== "string") {
    const handle = model as Partial<H> | null;
    if (handle === null || typeof handle !== "object" || typeof handle.dispose !== "function" || handle.task === undefined) {
      throw new InputError(`${task}() expects model to be a folder path, a Hub id or a handle, got ${describeValue(model)}`);
    }
    if (handle.task !== task) {
      throw new InputError(`${task}() was given a handle made for ${handle.task}()`, {
        hint: `create the handle with ${options.createName}(), or pass the model folder or Hub id`,
      });
    }
    return Promise.resolve(model);
  }
  if (model !== undefined && model.trim() === "") {
    throw new InputError(`${task}() was given an empty model id`, {
      hint: `omit model for the default "${options.defaultModel}", or pass a folder or Hub id`,
    });
  }
  const id = model ?? options.defaultModel;
  return options.cache.get(loadOptionsKey(id, options.load), () => options.create(id, options.load), options.signal);
}
