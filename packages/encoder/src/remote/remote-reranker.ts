import { InputError } from "@proj/core";
import { checkBatchSize } from "../shared/batching.js";
import { checkTaskOptions } from "../shared/options.js";
import { checkChoice, checkTopK, describe } from "../shared/validate.js";
import { checkRerankInput, type TextReranker } from "../rerank/reranker.js";
import { RERANK_CALL_OPTION_NAMES, type RerankCallOptions, type RerankResult } from "../rerank/types.js";
import { chunks, malformed, RemoteEndpoint, type RemoteEndpointOptions, refuse } from "./http.js";
import { RemoteHandle } from "./remote-handle.js";

/**
 * The wire format of a remote reranker: `"tei"` for Text Embeddings Inference's `POST /rerank`, `"cohere"` for the
 * `POST /v1/rerank` of Cohere and Jina (and `@proj/server`), which LangChain and LlamaIndex rerankers call.
 *
 * @example
 * const kind: RemoteRerankerKind = "cohere";
 */
export type RemoteRerankerKind = "tei" | "cohere";

/**
 * Options of {@link createRemoteReranker}.
 *
 * @example
 * const options: RemoteRerankerOptions = { kind: "cohere", baseURL: "http://127.0.0.1:8000/v1", model: "bge-reranker-base" };
 */
export interface RemoteRerankerOptions extends RemoteEndpointOptions {
  /** The server's wire format. */
  kind: RemoteRerankerKind;
}

/**
 * A reranker whose cross-encoder runs on a serving engine: the same `rerank()` calls and results as a local
 * `Reranker`, so `rerank(query, documents, { model: remote })` works unchanged.
 *
 * @example
 * const remote = createRemoteReranker({ kind: "tei", baseURL: "http://127.0.0.1:8080" });
 * const top = await rerank("how fast do dogs run?", candidates, { model: remote, topK: 3 });
 */
export interface RemoteReranker extends TextReranker {
  /** The base URL, without a trailing slash. */
  readonly baseURL: string;
  /** The wire format. */
  readonly kind: RemoteRerankerKind;
  /** The model name sent as `model`, if any. */
  readonly modelId: string | undefined;
}

/** Documents per request unless `batchSize` says otherwise: TEI's default `--max-client-batch-size`, Cohere's limit. */
const DEFAULT_REQUEST_SIZE: Readonly<Record<RemoteRerankerKind, number>> = { tei: 32, cohere: 1000 };

/**
 * A reranker backed by a remote server. `rerank()` takes a local reranker's options and maps them onto the wire;
 * what the wire cannot carry is an `InputError` naming the option:
 *
 * | option | `"tei"` (`POST {baseURL}/rerank`) | `"cohere"` (`POST {baseURL}/rerank`, baseURL up to `/v1`) |
 * |---|---|---|
 * | query, documents | `query`, `texts` (`batchSize` per request, default 32), `truncate: true` | `query`, `documents` (default 1000 per request) |
 * | `topK` | applied here (TEI returns every text) | `top_n` |
 * | `returnDocuments` | filled in here from the documents given (`return_text: false`) | filled in here (`return_documents: false`) |
 * | `activation` | `"sigmoid"` / `"none"` -> `raw_scores: false / true` | refused: the server's `relevance_score` is what it is |
 * | `maxLength` | refused | refused |
 *
 * As a local reranker, results are best first, equal scores by index, and long pairs are truncated rather than
 * refused (TEI's `truncate: true`). Errors are typed as {@link createRemoteEmbedder}'s are.
 *
 * @example
 * const tei = createRemoteReranker({ kind: "tei", baseURL: "http://127.0.0.1:8080" });
 * const [best] = await tei.rerank("capital of France", ["Paris is the capital.", "Berlin is in Germany."], { topK: 1 });
 * const jina = createRemoteReranker({ kind: "cohere", baseURL: "https://api.jina.ai/v1", apiKey, model: "jina-reranker-v2-base-multilingual" });
 */
export function createRemoteReranker(options: RemoteRerankerOptions): RemoteReranker {
  return new RemoteRerankerHandle(
    new RemoteEndpoint(options, "createRemoteReranker", ["tei", "cohere"], '"tei" for TEI\'s POST /rerank, "cohere" for POST /v1/rerank'),
  );
}

class RemoteRerankerHandle extends RemoteHandle<RemoteRerankerKind> implements RemoteReranker {
  readonly task = "rerank" as const;

  async rerank(query: string, documents: string[], options: RerankCallOptions = {}): Promise<RerankResult[]> {
    this.endpoint.ensureOpen("reranker");
    checkTaskOptions(options, "rerank", RERANK_CALL_OPTION_NAMES);
    checkRerankInput(query, documents);
    const kind = this.kind;
    const topK = checkTopK(options.topK, Number.MAX_SAFE_INTEGER, true) ?? Number.MAX_SAFE_INTEGER;
    const returnDocuments = options.returnDocuments ?? false;
    if (typeof returnDocuments !== "boolean")
      throw new InputError(`returnDocuments must be true or false, got ${describe(returnDocuments)}`);
    if (options.maxLength !== undefined) throw refuse("maxLength", kind, "the server's model decides its window");
    const activation =
      options.activation === undefined ? undefined : checkChoice(options.activation, "activation", ["sigmoid", "none"], "sigmoid");
    if (activation !== undefined && kind === "cohere") {
      throw refuse("activation", kind, "the Cohere format has no field for it: relevance_score is the server's", "leave activation out");
    }
    const size = options.batchSize === undefined ? DEFAULT_REQUEST_SIZE[kind] : checkBatchSize(options.batchSize);
    if (documents.length === 0) return [];

    const scored: RerankResult[] = [];
    let offset = 0;
    for (const part of chunks(documents, size)) {
      const ranks =
        kind === "tei" ? await this.#tei(query, part, activation, options.signal) : await this.#cohere(query, part, topK, options.signal);
      for (const { index, score } of ranks) scored.push({ index: index + offset, score });
      offset += part.length;
    }
    return scored
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, topK)
      .map((r) => (returnDocuments ? { ...r, document: documents[r.index] as string } : r));
  }

  /** TEI `POST /rerank`: `{ query, texts, truncate, raw_scores, return_text }` -> `[{ index, score, text? }]`. */
  async #tei(
    query: string,
    texts: string[],
    activation: "sigmoid" | "none" | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Array<{ index: number; score: number }>> {
    const body: Record<string, unknown> = { query, texts, truncate: true, return_text: false };
    if (activation !== undefined) body.raw_scores = activation === "none";
    const answer = await this.endpoint.post("/rerank", body, signal, "reranker");
    const url = `${this.baseURL}/rerank`;
    if (!Array.isArray(answer)) throw malformed(url, `${describe(answer)} instead of an array of ranks`);
    if (answer.length !== texts.length) throw malformed(url, `${answer.length} ranks for ${texts.length} texts`);
    return readRanks(url, answer, texts.length, "score");
  }

  /** Cohere/Jina `POST /rerank`: `{ query, documents, model?, top_n?, return_documents: false }` -> `{ results: [{ index, relevance_score }] }`. */
  async #cohere(
    query: string,
    documents: string[],
    topK: number,
    signal: AbortSignal | undefined,
  ): Promise<Array<{ index: number; score: number }>> {
    const body: Record<string, unknown> = { query, documents, return_documents: false };
    if (this.modelId !== undefined) body.model = this.modelId;
    const topN = Math.min(topK, documents.length);
    if (topN < documents.length) body.top_n = topN;
    const answer = (await this.endpoint.post("/rerank", body, signal, "reranker")) as { results?: unknown } | null;
    const url = `${this.baseURL}/rerank`;
    const results = answer?.results;
    if (!Array.isArray(results)) throw malformed(url, "no results array");
    if (results.length !== topN) throw malformed(url, `${results.length} results where ${topN} were asked for`);
    return readRanks(url, results, documents.length, "relevance_score");
  }
}

/** Reads `[{ index, <score field> }]`: each index in range at most once, each score a finite number. */
function readRanks(url: string, items: unknown[], count: number, field: string): Array<{ index: number; score: number }> {
  const seen = new Set<number>();
  return items.map((item, k) => {
    const { index, [field]: score } = (item ?? {}) as Record<string, unknown>;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count || seen.has(index)) {
      throw malformed(url, `result ${k} with index ${describe(index)} (expected each of 0..${count - 1} at most once)`);
    }
    if (typeof score !== "number" || !Number.isFinite(score)) throw malformed(url, `result ${k} with ${field} ${describe(score)}`);
    seen.add(index);
    return { index, score };
  });
}
