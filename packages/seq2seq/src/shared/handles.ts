import { type Disposable, HandleCache, InputError, type LoadModelOptions, sessionOptionsKey } from "@proj/core";
import { describe } from "./check-input.js";

/**
 * The task a handle serves, so that a handle given to the wrong function is refused clearly.
 *
 * @example
 * (await createTranslator()).task; // "translate"
 */
export type Seq2SeqTask = "translate" | "summarize";

const caches: Array<HandleCache<Disposable>> = [];

/**
 * A per-task cache of handles for the one-shot functions, registered for {@link disposeCachedSeq2Seq}.
 *
 * @internal
 */
export function taskCache<H extends Disposable>(): HandleCache<H> {
  const cache = new HandleCache<H>();
  caches.push(cache as unknown as HandleCache<Disposable>);
  return cache;
}

/**
 * The handle a one-shot call uses: the handle passed as `model`, or a cached one for the folder or Hub id
 * (the task's default when omitted), loaded once; concurrent first calls share the load.
 *
 * @internal
 */
export function resolveHandle<H extends Disposable & { readonly task: Seq2SeqTask }>(
  model: string | H | undefined,
  load: LoadModelOptions | undefined,
  task: Seq2SeqTask,
  defaultModel: string,
  cache: HandleCache<H>,
  create: (model: string, load: LoadModelOptions) => Promise<H>,
): Promise<H> {
  if (model !== undefined && typeof model !== "string") {
    const handle = model as Partial<H> | null;
    if (handle === null || typeof handle !== "object" || typeof handle.dispose !== "function" || handle.task === undefined) {
      throw new InputError(`${task}() expects model to be a folder path, a Hub id or a handle, got ${describe(model)}`);
    }
    if (handle.task !== task) {
      throw new InputError(`${task}() was given a handle made for ${handle.task}()`, {
        hint: `create it with ${task === "translate" ? "createTranslator" : "createSummarizer"}(), or pass the model folder or Hub id`,
      });
    }
    return Promise.resolve(model);
  }
  const id = model ?? defaultModel;
  const options = load ?? {};
  const key = JSON.stringify([
    id,
    sessionOptionsKey(options),
    options.dtype ?? "auto",
    options.graphs ?? null,
    options.hub?.revision ?? "main",
  ]);
  return cache.get(key, () => create(id, options));
}

/**
 * Disposes every model the one-shot functions ({@link translate}, {@link summarize}) have cached, freeing their
 * native memory. Handles made with `createTranslator()` / `createSummarizer()` are yours to dispose.
 *
 * @example
 * await translate("Hello", { model: "./models/opus-mt-en-de" });
 * await disposeCachedSeq2Seq(); // the next translate() loads the model again
 */
export async function disposeCachedSeq2Seq(): Promise<void> {
  await Promise.all(caches.map((c) => c.clear()));
}
