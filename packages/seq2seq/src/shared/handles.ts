import type { LoadOptions } from "@proj/core";
import { checkLoadOptions, type Disposable, type HandleCache, resolveTaskHandle, taskHandleCache } from "@proj/core/internal";

/**
 * The task a handle serves, so that a handle given to the wrong function is refused clearly.
 *
 * @example
 * (await createTranslator()).task; // "translate"
 */
export type Seq2SeqTask = "translate" | "summarize" | "text2text";

const CREATE_NAMES: Record<Seq2SeqTask, string> = {
  translate: "createTranslator",
  summarize: "createSummarizer",
  text2text: "createText2Text",
};

/**
 * A per-task cache of handles for the one-shot functions, registered with core under "seq2seq", so that core's
 * `disposeCachedHandles()` frees them.
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
  load: LoadOptions | undefined,
  task: H["task"],
  defaultModel: string,
  cache: HandleCache<H>,
  create: (model: string, load: LoadOptions) => Promise<H>,
  signal?: AbortSignal,
): Promise<H> {
  return resolveTaskHandle({
    model,
    task,
    defaultModel,
    cache,
    load: checkLoadOptions(load, task),
    create,
    createName: CREATE_NAMES[task],
    signal,
  });
}
