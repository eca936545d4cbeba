import type { CanonicalTask } from "@proj/chooser";
import type { FactoryContext } from "./shared/context.js";
import { type BiasAuditPipeline, biasAuditPipeline } from "./tasks/bias-audit.js";
import { type ChatPipeline, chatPipeline } from "./tasks/chat.js";
import { type FeatureExtractionPipeline, featureExtractionPipeline } from "./tasks/feature-extraction.js";
import { type FillMaskPipeline, fillMaskPipeline } from "./tasks/fill-mask.js";
import { type GenerativeQAPipeline, generativeQAPipeline } from "./tasks/generative-qa.js";
import { type QuestionAnsweringPipeline, questionAnsweringPipeline } from "./tasks/question-answering.js";
import { type SentenceSimilarityPipeline, sentenceSimilarityPipeline } from "./tasks/sentence-similarity.js";
import { type SummarizationPipeline, summarizationPipeline } from "./tasks/summarization.js";
import { type TextClassificationPipeline, textClassificationPipeline } from "./tasks/text-classification.js";
import { type TextGenerationPipeline, textGenerationPipeline } from "./tasks/text-generation.js";
import { type TextRankingPipeline, textRankingPipeline } from "./tasks/text-ranking.js";
import { type TokenClassificationPipeline, tokenClassificationPipeline } from "./tasks/token-classification.js";
import { type TranslationPipeline, translationPipeline } from "./tasks/translation.js";
import { type ZeroShotClassificationPipeline, zeroShotClassificationPipeline } from "./tasks/zero-shot-classification.js";

/**
 * The pipeline type of every canonical task of the chooser's table. A task added to the table must be added here
 * (the registry below does not compile otherwise).
 *
 * @example
 * type Classify = PipelineTaskMap["text-classification"]; // TextClassificationPipeline
 */
export interface PipelineTaskMap {
  /** Sentiment and other text classification. */
  "text-classification": TextClassificationPipeline;
  /** Named entities. */
  "token-classification": TokenClassificationPipeline;
  /** Extractive question answering. */
  "question-answering": QuestionAnsweringPipeline;
  /** Masked-token prediction. */
  "fill-mask": FillMaskPipeline;
  /** Fill-mask bias probes. */
  "bias-audit": BiasAuditPipeline;
  /** Text continuation. */
  "text-generation": TextGenerationPipeline;
  /** Conversation with an instruction-tuned model. */
  chat: ChatPipeline;
  /** Written answers to questions. */
  "generative-qa": GenerativeQAPipeline;
  /** Translation. */
  translation: TranslationPipeline;
  /** Summarization. */
  summarization: SummarizationPipeline;
  /** Embeddings. */
  "feature-extraction": FeatureExtractionPipeline;
  /** Cosine similarity of a sentence to others. */
  "sentence-similarity": SentenceSimilarityPipeline;
  /** Cross-encoder reranking. */
  "text-ranking": TextRankingPipeline;
  /** Zero-shot classification with an NLI model. */
  "zero-shot-classification": ZeroShotClassificationPipeline;
}

/**
 * Any pipeline.
 *
 * @example
 * const pipelines: AnyPipeline[] = [await pipeline("ner"), await pipeline("summarization")];
 */
export type AnyPipeline = PipelineTaskMap[keyof PipelineTaskMap];

type Factories = { readonly [T in CanonicalTask]: (context: FactoryContext) => Promise<PipelineTaskMap[T]> };

/**
 * How each task's pipeline is built from the package function its table row names (`servedBy`). One entry per
 * canonical task: the mapped type makes a missing one a compile error.
 *
 * @internal
 */
export const FACTORIES: Factories = {
  "text-classification": textClassificationPipeline,
  "token-classification": tokenClassificationPipeline,
  "question-answering": questionAnsweringPipeline,
  "fill-mask": fillMaskPipeline,
  "bias-audit": biasAuditPipeline,
  "text-generation": textGenerationPipeline,
  chat: chatPipeline,
  "generative-qa": generativeQAPipeline,
  translation: translationPipeline,
  summarization: summarizationPipeline,
  "feature-extraction": featureExtractionPipeline,
  "sentence-similarity": sentenceSimilarityPipeline,
  "text-ranking": textRankingPipeline,
  "zero-shot-classification": zeroShotClassificationPipeline,
};
