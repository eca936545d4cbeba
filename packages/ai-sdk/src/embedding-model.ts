import type { EmbeddingModelV3, EmbeddingModelV3CallOptions, EmbeddingModelV3Result } from "@ai-sdk/provider";
import type { LoadOptions } from "@proj/core";
import { checkOptions, optionNames } from "@proj/core/internal";
import type { EmbedCallOptions, TextEmbedder } from "@proj/encoder";
import { embedderOf } from "./handles.js";

/**
 * What an embedding call may set through `providerOptions.proj`, as `embed()` of `@proj/encoder` takes it (the
 * vectors are always float32 numbers, as the AI SDK wants them).
 *
 * @example
 * await embed({ model, value: "a dog runs", providerOptions: { proj: { dimensions: 64, prompt: "query: " } } });
 */
export type ProjEmbedProviderOptions = Omit<EmbedCallOptions<"float32">, "signal" | "precision" | "ranges">;

const EMBED_PROVIDER_OPTION_NAMES = optionNames<ProjEmbedProviderOptions>()([
  "pooling",
  "normalize",
  "dimensions",
  "prompt",
  "promptName",
  "batchSize",
  "truncation",
  "maxLength",
  "stride",
]);

/** Settings of one embedding model of the provider. */
export interface ProjEmbeddingModelSettings {
  /** How the model is loaded; replaces the provider's `load` for this model. */
  load?: LoadOptions;
}

/**
 * An embedding model of the AI SDK's specification (v3) over a `@proj` embedder: `embed` and `embedMany` of the `ai`
 * package give the vectors `embed()` of `@proj/encoder` gives (pooling, normalization and prompts from the model's
 * sentence-transformers files), in one call however many values: the embedder batches by length itself.
 *
 * @example
 * const { embeddings } = await embedMany({ model: proj.embeddingModel("./models/minilm"), values: ["a", "b"] });
 */
export class ProjEmbeddingModel implements EmbeddingModelV3 {
  /** The specification this model implements. */
  readonly specificationVersion = "v3";
  /** The provider's name. */
  readonly provider = "proj";
  /** The model folder or Hub id (for a handle, `"embedder"`). */
  readonly modelId: string;
  /** No limit: the embedder makes its own batches. */
  readonly maxEmbeddingsPerCall: number | undefined = undefined;
  /** Concurrent calls are safe (each runs its own batches on the shared session). */
  readonly supportsParallelCalls = true;
  readonly #model: string | TextEmbedder;
  readonly #load: LoadOptions | undefined;

  /**
   * @param model - a model folder, a Hub id, or an embedder made with `createEmbedder` / `createRemoteEmbedder`
   * @param settings - how the model is loaded
   * @param providerLoad - the provider's load options (the settings' `load` wins)
   */
  constructor(model: string | TextEmbedder, settings: ProjEmbeddingModelSettings, providerLoad: LoadOptions | undefined) {
    this.#model = model;
    this.modelId = typeof model === "string" ? model : "embedder";
    this.#load = settings.load ?? providerLoad;
  }

  /**
   * Embeds the values, in order.
   *
   * @example
   * const { embeddings } = await model.doEmbed({ values: ["a dog runs"] });
   */
  async doEmbed(call: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
    const extra = checkOptions(
      call.providerOptions?.proj as ProjEmbedProviderOptions | undefined,
      "providerOptions.proj",
      EMBED_PROVIDER_OPTION_NAMES,
    );
    const embedder = await embedderOf(this.#model, this.#load, call.abortSignal);
    const vectors = await embedder.embed(call.values, { ...extra, ...(call.abortSignal ? { signal: call.abortSignal } : {}) });
    return { embeddings: vectors.map((v) => Array.from(v)), warnings: [] };
  }
}
