import type { TaskOptions } from "@proj/core";
import { optionNames, TASK_OPTION_NAMES } from "@proj/core/internal";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { checkTaskOptions } from "../shared/options.js";
import { checkRerankInput, createReranker, type TextReranker } from "./reranker.js";
import { RERANK_CALL_OPTION_NAMES, type RerankCallOptions, type RerankResult } from "./types.js";

/**
 * Options of {@link rerank}: the model (folder, Hub id, a `Reranker`, or a remote reranker from
 * `createRemoteReranker`; ms-marco-MiniLM-L-6-v2 when omitted), how to load it (`load`), a `signal`, and the call
 * options.
 *
 * @example
 * const options: RerankOptions = { model: "Xenova/bge-reranker-base", topK: 5 };
 */
export interface RerankOptions extends TaskOptions<TextReranker>, RerankCallOptions {}

/**
 * The option names of {@link RerankOptions}.
 *
 * @example
 * checkTaskOptions(options, "rerank", RERANK_OPTION_NAMES);
 */
export const RERANK_OPTION_NAMES = optionNames<RerankOptions>()([...TASK_OPTION_NAMES, ...RERANK_CALL_OPTION_NAMES]);

const rerankers = taskCache<TextReranker>();

/**
 * Reorders documents by relevance to a query with a cross-encoder, which reads query and document together:
 * slower than comparing embeddings, and more accurate, so it is used on the top candidates of a vector search.
 * Results are best first (equal scores by input index); a pair longer than the model loses the end of its document
 * (`only_second`), never the query. `[]` for no documents.
 *
 * @example
 * const ranked = await rerank("how fast do dogs run?", ["Cats sleep a lot.", "Greyhounds reach 70 km/h."], { topK: 1 });
 * // [{ index: 1, score: 0.97 }]
 */
export async function rerank(query: string, documents: string[], options?: RerankOptions): Promise<RerankResult[]> {
  checkRerankInput(query, documents);
  const { model, load, ...call } = checkTaskOptions(options, "rerank", RERANK_OPTION_NAMES);
  const reranker = await resolveHandle({ model, load, signal: call.signal }, "rerank", "text-ranking", rerankers, createReranker);
  return reranker.rerank(query, documents, call);
}
