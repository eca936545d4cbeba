import type { RerankingModelV3, RerankingModelV3CallOptions } from "@ai-sdk/provider";
import type { LoadOptions } from "@proj/core";
import { checkOptions, optionNames } from "@proj/core/internal";
import type { RerankCallOptions, TextReranker } from "@proj/encoder";
import { rerankerOf } from "./handles.js";

/**
 * What a rerank call may set through `providerOptions.proj`, as `rerank()` of `@proj/encoder` takes it.
 *
 * @example
 * await rerank({ model, query, documents, providerOptions: { proj: { activation: "none" } } });
 */
export type ProjRerankProviderOptions = Pick<RerankCallOptions, "activation" | "batchSize" | "maxLength">;

const RERANK_PROVIDER_OPTION_NAMES = optionNames<ProjRerankProviderOptions>()(["activation", "batchSize", "maxLength"]);

/** Settings of one reranking model of the provider. */
export interface ProjRerankingModelSettings {
  /** How the model is loaded; replaces the provider's `load` for this model. */
  load?: LoadOptions;
}

/**
 * A reranking model of the AI SDK's specification (v3) over a `@proj` cross-encoder: `rerank` of the `ai` package
 * scores each document against the query as `rerank()` of `@proj/encoder` does (sigmoid or raw, as the model's
 * config says), best first. Object documents are scored as their JSON text.
 *
 * @example
 * const { ranking } = await rerank({ model: proj.rerankingModel("./models/reranker"), query: "dogs", documents, topN: 3 });
 */
export class ProjRerankingModel implements RerankingModelV3 {
  /** The specification this model implements. */
  readonly specificationVersion = "v3";
  /** The provider's name. */
  readonly provider = "proj";
  /** The model folder or Hub id (for a handle, `"reranker"`). */
  readonly modelId: string;
  readonly #model: string | TextReranker;
  readonly #load: LoadOptions | undefined;

  /**
   * @param model - a model folder, a Hub id, or a reranker made with `createReranker` / `createRemoteReranker`
   * @param settings - how the model is loaded
   * @param providerLoad - the provider's load options (the settings' `load` wins)
   */
  constructor(model: string | TextReranker, settings: ProjRerankingModelSettings, providerLoad: LoadOptions | undefined) {
    this.#model = model;
    this.modelId = typeof model === "string" ? model : "reranker";
    this.#load = settings.load ?? providerLoad;
  }

  /**
   * Ranks the documents by relevance to the query, best first (the `topN` best when given).
   *
   * @example
   * const { ranking } = await model.doRerank({ query: "dogs", documents: { type: "text", values: ["cats", "dogs"] } });
   */
  async doRerank(call: RerankingModelV3CallOptions): Promise<{ ranking: Array<{ index: number; relevanceScore: number }> }> {
    const extra = checkOptions(
      call.providerOptions?.proj as ProjRerankProviderOptions | undefined,
      "providerOptions.proj",
      RERANK_PROVIDER_OPTION_NAMES,
    );
    const documents = call.documents.type === "text" ? call.documents.values : call.documents.values.map((d) => JSON.stringify(d));
    const reranker = await rerankerOf(this.#model, this.#load, call.abortSignal);
    const ranked = await reranker.rerank(call.query, documents, {
      ...extra,
      ...(call.topN !== undefined ? { topK: call.topN } : {}),
      ...(call.abortSignal ? { signal: call.abortSignal } : {}),
    });
    return { ranking: ranked.map((r) => ({ index: r.index, relevanceScore: r.score })) };
  }
}
