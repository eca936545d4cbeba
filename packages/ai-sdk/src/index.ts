export { createProj, proj, type ProjProvider, type ProjProviderSettings } from "./provider.js";
export { ProjLanguageModel, type ProjLanguageModelSettings } from "./language-model/language-model.js";
export type { ProjCallProviderOptions } from "./language-model/call-options.js";
export { ProjEmbeddingModel, type ProjEmbedProviderOptions, type ProjEmbeddingModelSettings } from "./embedding-model.js";
export { ProjRerankingModel, type ProjRerankingModelSettings, type ProjRerankProviderOptions } from "./reranking-model.js";
