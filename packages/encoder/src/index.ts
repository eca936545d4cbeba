export { classify, type ClassifyOptions } from "./classify/classify.js";
export { type Classifier, createClassifier, DEFAULT_CLASSIFY_MODEL, type TextClassifier } from "./classify/classifier.js";
export type { Classification, ClassifyCallOptions, FunctionToApply } from "./classify/types.js";

export { disposeCachedHandles, type LoadOptions, type TaskOptions } from "@proj/core";
export type { EncoderHandle } from "./shared/encoder-handle.js";
export type { CreateOptions } from "./shared/options.js";
export type { HandleTask } from "./shared/handles.js";
export { sigmoid, softmax } from "./shared/activations.js";

export { ner, type NerOptions } from "./ner/ner.js";
export {
  AGGREGATIONS as NER_AGGREGATIONS,
  createTokenClassifier,
  DEFAULT_NER_MODEL,
  type TokenClassifier,
} from "./ner/token-classifier.js";
export { DECODINGS as NER_DECODINGS, TAG_SCHEMES as NER_TAG_SCHEMES } from "./ner/options.js";
export type { AggregationStrategy, Entity, NerCallOptions, NerDecoding, TagScheme } from "./ner/types.js";

export { answer, type AnswerOptions } from "./qa/answer.js";
export { createQuestionAnswerer, DEFAULT_QA_MODEL, type QuestionAnswerer } from "./qa/question-answerer.js";
export type { Answer, AnswerCallOptions, QuestionContext } from "./qa/types.js";

export { fillMask, type FillMaskOptions } from "./fill-mask/fill-mask.js";
export { createFillMask, DEFAULT_FILL_MASK_MODEL, type FillMasker } from "./fill-mask/fill-masker.js";
export type { FillMaskCallOptions, FillMaskPrediction, ProbabilitiesOptions } from "./fill-mask/types.js";
export { MASK_SPELLINGS, toModelMask } from "./fill-mask/mask-token.js";

export { type AuditBiasOptions, auditBias } from "./bias/audit.js";
export { renderBiasReport } from "./bias/render.js";
export { DEFAULT_BIAS_GROUPS, DEFAULT_BIAS_TEMPLATES } from "./bias/templates.js";
export { jensenShannon } from "./bias/divergence.js";
export type { BiasCompletion, BiasDivergence, BiasGroupResult, BiasReport, BiasSetResult, BiasTemplateSet } from "./bias/types.js";

export { embed, EMBED_OPTION_NAMES, type EmbedOptions } from "./embed/embed.js";
export { createEmbedder, DEFAULT_EMBED_MODEL, type Embedder, type TextEmbedder } from "./embed/embedder.js";
export { calibrationRanges } from "./embed/quantize.js";
export type { EmbedCallOptions, Embedding, EmbeddingOf, Pooling, Precision, QuantizationRanges } from "./embed/types.js";
export {
  cosineSimilarity,
  type SearchHit,
  semanticSearch,
  type SimilarityMetric,
  similarity,
  type Vector,
} from "./similarity/similarity.js";

export { rerank, RERANK_OPTION_NAMES, type RerankOptions } from "./rerank/rerank.js";
export { createReranker, DEFAULT_RERANK_MODEL, type Reranker, type TextReranker } from "./rerank/reranker.js";
export type { RerankCallOptions, RerankResult } from "./rerank/types.js";

export type { RemoteEndpointOptions } from "./remote/http.js";
export {
  createRemoteEmbedder,
  type RemoteEmbedder,
  type RemoteEmbedderKind,
  type RemoteEmbedderOptions,
} from "./remote/remote-embedder.js";
export {
  createRemoteReranker,
  type RemoteReranker,
  type RemoteRerankerKind,
  type RemoteRerankerOptions,
} from "./remote/remote-reranker.js";
export {
  createRemoteClassifier,
  type RemoteClassifier,
  type RemoteClassifierKind,
  type RemoteClassifierOptions,
} from "./remote/remote-classifier.js";

export { CLASSIFY_ZERO_SHOT_OPTION_NAMES, type ClassifyZeroShotOptions, classifyZeroShot } from "./zero-shot/classify-zero-shot.js";
export { createZeroShotClassifier, DEFAULT_ZERO_SHOT_MODEL, type ZeroShotClassifier } from "./zero-shot/zero-shot-classifier.js";
export type { ZeroShotCallOptions, ZeroShotResult } from "./zero-shot/types.js";
