import { NoSuchModelError, type ProviderV3 } from "@ai-sdk/provider";
import type { LoadOptions } from "@proj/core";
import { checkLoadOptions, checkOptions, optionNames } from "@proj/core/internal";
import type { Generator } from "@proj/decoder";
import type { TextEmbedder, TextReranker } from "@proj/encoder";
import { ProjEmbeddingModel, type ProjEmbeddingModelSettings } from "./embedding-model.js";
import { ProjLanguageModel, type ProjLanguageModelSettings } from "./language-model/language-model.js";
import { ProjRerankingModel, type ProjRerankingModelSettings } from "./reranking-model.js";

/**
 * Settings of {@link createProj}.
 *
 * @example
 * const proj = createProj({ load: { threads: 2, dtype: "q8" } });
 */
export interface ProjProviderSettings {
  /** How models are loaded (dtype, threads, device, Hub options), unless a model's own settings say otherwise. */
  load?: LoadOptions;
}

const PROVIDER_SETTING_NAMES = optionNames<ProjProviderSettings>()(["load"]);
const LANGUAGE_MODEL_SETTING_NAMES = optionNames<ProjLanguageModelSettings>()(["mode", "chatTemplate", "templateVariables", "load"]);
const MODEL_SETTING_NAMES = optionNames<ProjEmbeddingModelSettings>()(["load"]);

/**
 * The Vercel AI SDK provider of @proj: models that run in this process through ONNX Runtime, no server. Call it
 * (or `languageModel`) with a model folder or Hub id, or with a handle made by `@proj/decoder`/`@proj/encoder`
 * (local, or remote such as `createRemoteGenerator`).
 *
 * @example
 * import { generateText } from "ai";
 * const { text } = await generateText({ model: proj("onnx-community/Qwen2.5-0.5B-Instruct"), prompt: "What is ONNX?" });
 */
export interface ProjProvider extends ProviderV3 {
  /** A language model (the same as {@link ProjProvider.languageModel}). */
  (model: string | Generator, settings?: ProjLanguageModelSettings): ProjLanguageModel;
  /** A language model for `generateText`, `streamText`, `generateObject`, `streamObject`. */
  languageModel(model: string | Generator, settings?: ProjLanguageModelSettings): ProjLanguageModel;
  /** An embedding model for `embed` and `embedMany`. */
  embeddingModel(model: string | TextEmbedder, settings?: ProjEmbeddingModelSettings): ProjEmbeddingModel;
  /** The same as {@link ProjProvider.embeddingModel} (the name older AI SDK code calls). */
  textEmbeddingModel(model: string | TextEmbedder, settings?: ProjEmbeddingModelSettings): ProjEmbeddingModel;
  /** A reranking model for `rerank`. */
  rerankingModel(model: string | TextReranker, settings?: ProjRerankingModelSettings): ProjRerankingModel;
  /** `@proj` has no image models: throws the AI SDK's `NoSuchModelError`. */
  imageModel(modelId: string): never;
}

/**
 * Creates the AI SDK provider of `@proj`. Models load on their first call and are cached process-wide by model and
 * load options (`disposeCachedHandles()` of `@proj/core` frees them); concurrent calls on one language model are
 * decoded together by @proj's continuous batching. Unknown settings are refused with an `InputError` naming them.
 *
 * @example
 * import { embedMany, generateText, streamText } from "ai";
 * import { createProj } from "@proj/ai-sdk";
 *
 * const proj = createProj({ load: { threads: 2 } });
 * const { text } = await generateText({ model: proj("./models/qwen"), system: "Be brief.", prompt: "What is ONNX?" });
 * const { embeddings } = await embedMany({ model: proj.embeddingModel("./models/minilm"), values: ["a", "b"] });
 */
export function createProj(settings?: ProjProviderSettings): ProjProvider {
  const { load } = checkOptions(settings, "createProj()", PROVIDER_SETTING_NAMES);
  const providerLoad = load === undefined ? undefined : checkLoadOptions(load, "createProj");
  const languageModel = (model: string | Generator, modelSettings?: ProjLanguageModelSettings): ProjLanguageModel =>
    new ProjLanguageModel(model, checkOptions(modelSettings, "proj.languageModel()", LANGUAGE_MODEL_SETTING_NAMES), providerLoad);
  const embeddingModel = (model: string | TextEmbedder, modelSettings?: ProjEmbeddingModelSettings): ProjEmbeddingModel =>
    new ProjEmbeddingModel(model, checkOptions(modelSettings, "proj.embeddingModel()", MODEL_SETTING_NAMES), providerLoad);
  const provider = (model: string | Generator, modelSettings?: ProjLanguageModelSettings) => languageModel(model, modelSettings);
  return Object.assign(provider, {
    specificationVersion: "v3" as const,
    languageModel,
    embeddingModel,
    textEmbeddingModel: embeddingModel,
    rerankingModel: (model: string | TextReranker, modelSettings?: ProjRerankingModelSettings) =>
      new ProjRerankingModel(model, checkOptions(modelSettings, "proj.rerankingModel()", MODEL_SETTING_NAMES), providerLoad),
    imageModel(modelId: string): never {
      throw new NoSuchModelError({ modelId, modelType: "imageModel", message: "@proj has no image models" });
    },
  });
}

/**
 * The default provider: {@link createProj} with no settings.
 *
 * @example
 * import { generateText } from "ai";
 * import { proj } from "@proj/ai-sdk";
 * const { text } = await generateText({ model: proj("./models/gpt2"), prompt: "Once upon a time", maxOutputTokens: 30 });
 */
export const proj: ProjProvider = createProj();
