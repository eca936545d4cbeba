/**
 * `@proj/core`: model sources (local Optimum folders and Hub ids with the Hugging Face cache), config reading, ONNX
 * Runtime sessions, tokenization with offsets, decoding options and results, metrics and typed errors: what users of
 * the task packages may need. The engine's plumbing (runners, KV caches, the batcher, handle caches, option checking)
 * is at `@proj/core/internal`, for the task packages only.
 *
 * @packageDocumentation
 */
export {
  AbortError,
  DisposedError,
  DownloadError,
  InputError,
  ModelFormatError,
  ModelNotFoundError,
  OfflineError,
  OverloadedError,
  ProjError,
  type ProjErrorCode,
  type ProjErrorOptions,
  SessionError,
  TemplateError,
  throwIfAborted,
} from "./errors.js";

export type { LoadOptions, TaskOptions } from "./options/task-options.js";

export type { DownloadProgress, ModelSource, ResolveFileOptions } from "./source/model-source.js";
export { localSource } from "./source/local-source.js";
export { type ModelSpec, openModelSource } from "./source/open-source.js";
export * from "./source/hub/index.js";

export { type ArchitectureFamily, detectFamily } from "./config/family.js";
export { type GenerationConfig, parseGenerationConfig, readGenerationConfig } from "./config/generation-config.js";
export { type ModelConfig, parseModelConfig, readModelConfig, type StackShape } from "./config/model-config.js";
export { parseTokenizerConfig, readTokenizerConfig, type TokenizerConfig } from "./config/tokenizer-config.js";
export { type JsonObject, readJsonObject } from "./config/read-json.js";

export { availableDtypes, DTYPE_SUFFIXES, type ModelDtype } from "./session/dtype.js";
export { type IoSpec, ModelSession, type RunOptions, type TensorMap } from "./session/model-session.js";
export type { Device, SessionOptions } from "./session/session-options.js";
export { boolTensor, float32Tensor, int64Tensor, Tensor } from "./session/tensors.js";

export {
  type DecodeOptions,
  type EncodeOptions,
  type SpecialTokenIds,
  Tokenizer,
  type TruncationStrategy,
  type WindowOptions,
} from "./tokenizer/tokenizer.js";
export type { Encoding } from "./tokenizer/encoding.js";
export { type PadOptions, type PaddedBatch, padBatch } from "./tokenizer/batch.js";
export { StreamDecoder } from "./tokenizer/stream-decoder.js";

export { type LoadedModel, type LoadModelOptions, loadModel } from "./model/load-model.js";

export { quantize } from "./graph/quantize/quantize-folder.js";
export { quantizeModel } from "./graph/quantize/quantize-model.js";
export type {
  QuantizedFile,
  QuantizedOp,
  QuantizeMode,
  QuantizeModelOptions,
  QuantizeOptions,
  QuantizeReport,
  SkippedOp,
} from "./graph/quantize/quantize-options.js";
export { disposeCachedHandles } from "./model/task-handles.js";

export type { DecodingOptions } from "./generation/options.js";
export type { JsonSchema, ResponseFormat } from "./generation/constraint/response-format.js";
export type { FinishReason, GeneratedSequence, TokenEvent } from "./generation/types.js";
export type { LogprobCandidate, TokenLogprob } from "./generation/logprobs/token-logprob.js";
export type { DurationStats, GenerationMetrics } from "./metrics/generation-metrics.js";
export { ResultStream } from "./generation/result-stream.js";
export type { GenerationResult } from "./generation/result.js";
export { type StreamedTokenEvent, type TextChunk, TextStream, type ToolCallDelta } from "./generation/text-stream.js";
export type { GenerationCallOptions } from "./generation/generate-rows.js";
export type { PinnedPrefix, PrefixCacheOptions, PrefixCacheStats } from "./generation/cache/prefix-cache.js";
