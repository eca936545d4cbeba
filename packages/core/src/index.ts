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
  throwIfAborted,
} from "./errors.js";

export type { DownloadProgress, ModelSource, ResolveFileOptions } from "./source/model-source.js";
export { localSource } from "./source/local-source.js";
export { type ModelSpec, openModelSource } from "./source/open-source.js";
export * from "./source/hub/index.js";

export { type ArchitectureFamily, detectFamily } from "./config/family.js";
export { type GenerationConfig, parseGenerationConfig, readGenerationConfig } from "./config/generation-config.js";
export { type ModelConfig, parseModelConfig, readModelConfig, type StackShape } from "./config/model-config.js";
export { parseTokenizerConfig, readTokenizerConfig, type TokenizerConfig } from "./config/tokenizer-config.js";
export { type JsonObject, readJsonObject } from "./config/read-json.js";

export { availableDtypes, chooseDtype, DTYPE_SUFFIXES, type ModelDtype, onnxFilePath } from "./session/dtype.js";
export { type IoSpec, ModelSession, type RunOptions, type TensorMap } from "./session/model-session.js";
export { acquireSession, openSessionCount, type SessionLease } from "./session/session-pool.js";
export { type Device, type SessionOptions, sessionOptionsKey, toOrtOptions } from "./session/session-options.js";
export { boolTensor, float32Tensor, int64Tensor, Tensor } from "./session/tensors.js";
export { float16ToFloat32 } from "./session/float16.js";

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
export { cleanUpTokenization } from "./tokenizer/clean-up.js";
export { codePointToUtf16, type OffsetMapper } from "./tokenizer/offsets.js";

export { type LoadedModel, type LoadModelOptions, loadModel } from "./model/load-model.js";
export { defaultGraphs } from "./model/default-graphs.js";
export { type Disposable, HandleCache } from "./model/handle-cache.js";

export {
  type DecodingOptions,
  type ModelLimits,
  type ResolvedDecodingOptions,
  resolveDecodingOptions,
} from "./generation/options.js";
export type { EngineRequest, FinishReason, GeneratedSequence, TokenEvent } from "./generation/types.js";
export { runEngine } from "./generation/generate.js";
export type { DecoderRunner, PromptRow, StepResult } from "./generation/runner/decoder-runner.js";
export { CausalRunner, type CausalRunnerOptions } from "./generation/runner/causal-runner.js";
export { emptyPast, type KvEntry, type KvLayout, kvLayout, lastLogits } from "./generation/runner/kv-layout.js";
export { DecoderCache, type EncoderMemory } from "./generation/cache/decoder-cache.js";
export { concatRows, gatherRows } from "./generation/cache/row-tensor.js";
export { SequenceState } from "./generation/sequence-state.js";
export { applyProcessors, type LogitsProcessor } from "./generation/processors/logits-processor.js";
export { buildProcessors } from "./generation/processors/build-processors.js";
export { repetitionPenalty } from "./generation/processors/repetition-penalty.js";
export { presenceFrequencyPenalty } from "./generation/processors/presence-frequency.js";
export { noRepeatNgram } from "./generation/processors/no-repeat-ngram.js";
export { badWords } from "./generation/processors/bad-words.js";
export { forcedToken, minNewTokens, suppressTokens } from "./generation/processors/token-rules.js";
export { createRng, type Rng } from "./generation/sampling/rng.js";
export { Sampler, type SamplingParams } from "./generation/sampling/sampler.js";
export { argmax, CandidateBuffer, topK } from "./generation/sampling/top-candidates.js";
export { BeamHypotheses, type Hypothesis } from "./generation/beam/beam-hypotheses.js";
export { logSoftmaxInPlace, logSoftmaxTopK } from "./generation/beam/log-softmax.js";
export { cutAtStop } from "./generation/beam/cut-at-stop.js";
export { StopStringMatcher, type StopMatch } from "./generation/stopping/stop-strings.js";
export { type DurationStats, type GenerationMetrics, MetricsRecorder, stats } from "./metrics/generation-metrics.js";
export { Seq2SeqRunner, type Seq2SeqRunnerOptions } from "./generation/runner/seq2seq-runner.js";
export { type BatcherOptions, type BatchRequest, ContinuousBatcher } from "./generation/scheduler/continuous-batcher.js";
export { dropLeading } from "./generation/cache/row-tensor.js";
export {
  describeValue,
  disposeCachedHandles,
  loadOptionsKey,
  type ResolveTaskHandleOptions,
  resolveTaskHandle,
  type TaskHandle,
  taskHandleCache,
} from "./model/task-handles.js";
export { ResultStream } from "./generation/result-stream.js";
