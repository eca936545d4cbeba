import { disposeCachedHandles, type LoadModelOptions } from "@proj/core";
import { type Disposable, type HandleCache, resolveTaskHandle, taskHandleCache } from "@proj/core/internal";

/**
 * The task a handle serves, so that a handle given to the wrong function is refused clearly.
 *
 * @example
 * (await createTranslator()).task; // "translate"
 */
export type Seq2SeqTask = "translate" | "summarize";

/**
 * A per-task cache of handles for the one-shot functions, registered with core under "seq2seq" for
 * {@link disposeCachedSeq2Seq}.
 *
 * @internal
 */
export function taskCache<H extends Disposable>(): HandleCache<H> {
  return taskHandleCache<H>("seq2seq");
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
  signal?: AbortSignal,
): Promise<H> {
  return resolveTaskHandle({
    model,
    task,
    defaultModel,
    cache,
    load: load ?? {},
    create,
    createName: task === "translate" ? "createTranslator" : "createSummarizer",
    signal,
  });
}

/**
 * Disposes every model the one-shot functions ({@link translate}, {@link summarize}) have cached, freeing their
 * native memory. Handles made with `createTranslator()` / `createSummarizer()` are yours to dispose.
 *
 * @example
 * await translate("Hello", { model: "./models/opus-mt-en-de" });
 * await disposeCachedSeq2Seq(); // the next translate() loads the model again
 */
export function disposeCachedSeq2Seq(): Promise<void> {
  return disposeCachedHandles("seq2seq");
}
