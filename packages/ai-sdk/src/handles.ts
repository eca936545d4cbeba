import type { LoadOptions } from "@proj/core";
import { checkLoadOptions, resolveTaskHandle, taskHandleCache } from "@proj/core/internal";
import { createGenerator, type Generator } from "@proj/decoder";
import { createEmbedder, createReranker, type TextEmbedder, type TextReranker } from "@proj/encoder";

const generators = taskHandleCache<Generator>("ai-sdk");
const embedders = taskHandleCache<TextEmbedder>("ai-sdk");
const rerankers = taskHandleCache<TextReranker>("ai-sdk");

/**
 * The generator behind a language model of the provider: the handle it was given, or one loaded once per model id
 * and load options, in the process-wide registry that `disposeCachedHandles("ai-sdk")` (or with no group) frees.
 *
 * @example
 * const generator = await generatorOf("./models/gpt2", { threads: 2 }, signal);
 * @internal
 */
export function generatorOf(model: string | Generator, load: LoadOptions | undefined, signal?: AbortSignal): Promise<Generator> {
  return resolveTaskHandle<Generator>({
    model,
    task: "generate",
    defaultModel: typeof model === "string" ? model : "",
    cache: generators,
    load: checkLoadOptions(load, "createProj"),
    create: (id, loadOptions) => createGenerator(id, { load: loadOptions }),
    createName: "createGenerator",
    signal,
  });
}

/**
 * The embedder behind an embedding model of the provider, loaded once per model id and load options.
 *
 * @example
 * const embedder = await embedderOf("./models/minilm", undefined);
 * @internal
 */
export function embedderOf(model: string | TextEmbedder, load: LoadOptions | undefined, signal?: AbortSignal): Promise<TextEmbedder> {
  return resolveTaskHandle<TextEmbedder>({
    model,
    task: "embed",
    defaultModel: typeof model === "string" ? model : "",
    cache: embedders,
    load: checkLoadOptions(load, "createProj"),
    create: (id, loadOptions) => createEmbedder(id, { load: loadOptions }),
    createName: "createEmbedder",
    signal,
  });
}

/**
 * The reranker behind a reranking model of the provider, loaded once per model id and load options.
 *
 * @example
 * const reranker = await rerankerOf("Xenova/ms-marco-MiniLM-L-6-v2", undefined);
 * @internal
 */
export function rerankerOf(model: string | TextReranker, load: LoadOptions | undefined, signal?: AbortSignal): Promise<TextReranker> {
  return resolveTaskHandle<TextReranker>({
    model,
    task: "rerank",
    defaultModel: typeof model === "string" ? model : "",
    cache: rerankers,
    load: checkLoadOptions(load, "createProj"),
    create: (id, loadOptions) => createReranker(id, { load: loadOptions }),
    createName: "createReranker",
    signal,
  });
}
