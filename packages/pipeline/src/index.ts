export { type AliasOf, type CanonicalOf, pipeline, type PipelineFor, type PipelineOptionsFor } from "./pipeline.js";
export type { AnyPipeline, PipelineTaskMap } from "./registry.js";
export type { PipelineOptions, TranslationPipelineOptions } from "./shared/options.js";
export type { PipelineBase } from "./shared/base.js";
export { defaultModelFor } from "./shared/default-model.js";

export type { TextClassificationPipeline } from "./tasks/text-classification.js";
export type { TokenClassificationPipeline } from "./tasks/token-classification.js";
export type { QuestionAnsweringPipeline } from "./tasks/question-answering.js";
export type { FillMaskPipeline } from "./tasks/fill-mask.js";
export type { BiasAuditCallOptions, BiasAuditPipeline } from "./tasks/bias-audit.js";
export type { TextGenerationPipeline } from "./tasks/text-generation.js";
export type { ChatPipeline, ChatPipelineCallOptions } from "./tasks/chat.js";
export type { GenerativeQAPipeline } from "./tasks/generative-qa.js";
export type {
  GeneratedAnswer,
  GenerativeAnswerer,
  GenerativeQACallOptions,
  GenerativeQuestion,
} from "./tasks/generative-qa/types.js";
export type { TranslationPipeline } from "./tasks/translation.js";
export type { SummarizationPipeline } from "./tasks/summarization.js";
export type { FeatureExtractionPipeline } from "./tasks/feature-extraction.js";
export type { SentenceSimilarityCallOptions, SentenceSimilarityPipeline } from "./tasks/sentence-similarity.js";
export type { TextRankingPipeline } from "./tasks/text-ranking.js";
export type { ZeroShotClassificationPipeline } from "./tasks/zero-shot-classification.js";

export type { CanonicalTask, TaskName, TranslationTaskName } from "@proj/chooser";
