import type { LoadModelOptions, LoadOptions } from "@proj/core";
import { checkLoadOptions, type HandleCache, resolveTaskHandle, type TaskHandle, taskHandleCache } from "@proj/core/internal";
import { createGenerator, type Generator } from "@proj/decoder";
import { createEmbedder, createReranker, type TextEmbedder, type TextReranker } from "@proj/encoder";

/** How the provider gets one kind of handle: its task, its cache, and the factory that loads it. */
interface HandleKind<H extends TaskHandle> {
  task: H["task"];
  cache: HandleCache<H>;
  create: (id: string, load: LoadModelOptions) => Promise<H>;
  createName: string;
}

const GENERATORS: HandleKind<Generator> = {
  task: "generate",
  cache: taskHandleCache<Generator>("ai-sdk"),
  create: (id, load) => createGenerator(id, { load }),
  createName: "createGenerator",
};
const EMBEDDERS: HandleKind<TextEmbedder> = {
  task: "embed",
  cache: taskHandleCache<TextEmbedder>("ai-sdk"),
  create: (id, load) => createEmbedder(id, { load }),
  createName: "createEmbedder",
};
const RERANKERS: HandleKind<TextReranker> = {
  task: "rerank",
  cache: taskHandleCache<TextReranker>("ai-sdk"),
  create: (id, load) => createReranker(id, { load }),
  createName: "createReranker",
};

/**
 * The handle behind a model of the provider: the handle it was given, or one loaded once per model id and load
 * options, in the process-wide registry that `disposeCachedHandles("ai-sdk")` (or with no group) frees.
 */
function handleOf<H extends TaskHandle>(
  kind: HandleKind<H>,
  model: string | H,
  load: LoadOptions | undefined,
  signal?: AbortSignal,
): Promise<H> {
  return resolveTaskHandle<H>({
    model,
    task: kind.task,
    defaultModel: typeof model === "string" ? model : "",
    cache: kind.cache,
    load: checkLoadOptions(load, "createProj"),
    create: kind.create,
    createName: kind.createName,
    signal,
  });
}

/**
 * The generator behind a language model of the provider.
 *
 * @example
 * const generator = await generatorOf("./models/gpt2", { threads: 2 }, signal);
 * @internal
 */
export const generatorOf = (model: string | Generator, load: LoadOptions | undefined, signal?: AbortSignal): Promise<Generator> =>
  handleOf(GENERATORS, model, load, signal);

/**
 * The embedder behind an embedding model of the provider.
 *
 * @example
 * const embedder = await embedderOf("./models/minilm", undefined);
 * @internal
 */
export const embedderOf = (model: string | TextEmbedder, load: LoadOptions | undefined, signal?: AbortSignal): Promise<TextEmbedder> =>
  handleOf(EMBEDDERS, model, load, signal);

/**
 * The reranker behind a reranking model of the provider.
 *
 * @example
 * const reranker = await rerankerOf("Xenova/ms-marco-MiniLM-L-6-v2", undefined);
 * @internal
 */
export const rerankerOf = (model: string | TextReranker, load: LoadOptions | undefined, signal?: AbortSignal): Promise<TextReranker> =>
  handleOf(RERANKERS, model, load, signal);
