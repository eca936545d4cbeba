/**
 * `@proj/core/internal`: the engine's plumbing, for the `@proj` task packages. Not a public API: names and shapes
 * change without notice between any two versions. Applications use `@proj/core` and the task packages.
 *
 * @packageDocumentation
 * @internal
 */
export { checkOptions, optionNames } from "./options/check-options.js";
export { checkLoadOptions, LOAD_OPTION_NAMES, TASK_OPTION_NAMES } from "./options/task-options.js";
export { describeValue } from "./options/describe-value.js";
export { nearestName } from "./options/nearest-name.js";

export { remoteError } from "./remote/http-errors.js";

export { chooseDtype, onnxFilePath } from "./session/dtype.js";
export { acquireSession, openSessionCount, type SessionLease } from "./session/session-pool.js";
export { sessionOptionsKey, toOrtOptions } from "./session/session-options.js";
export { float16ToFloat32 } from "./session/float16.js";

export { cleanUpTokenization } from "./tokenizer/clean-up.js";
export { codePointToUtf16, type OffsetMapper } from "./tokenizer/offsets.js";

export { defaultGraphs } from "./model/default-graphs.js";
export { type Disposable, HandleCache } from "./model/handle-cache.js";
export {
  disposeCachedHandles,
  loadOptionsKey,
  type ResolveTaskHandleOptions,
  resolveTaskHandle,
  type TaskHandle,
  taskHandleCache,
} from "./model/task-handles.js";

export {
  chooseSampling,
  DECODING_OPTION_NAMES,
  type ModelLimits,
  type ResolvedDecodingOptions,
  resolveDecodingOptions,
} from "./generation/options.js";
export type { EngineRequest } from "./generation/types.js";
export { type ActiveResponseFormat, CompiledGrammar, compileResponseFormat } from "./generation/constraint/compiled-grammar.js";
export { checkResponseFormat } from "./generation/constraint/response-format.js";
export { RowConstraint } from "./generation/constraint/row-constraint.js";
export { jsonSchemaToEbnf, literal as ebnfLiteral } from "./generation/constraint/json-schema/json-schema-grammar.js";
export { integerRangeEbnf } from "./generation/constraint/json-schema/integer-range.js";
export { loadXGrammar } from "./generation/constraint/xgrammar.js";
export { BYTE_TO_UNICODE, parseVocabulary, type TokenizerVocabulary, type VocabularyEncoding } from "./tokenizer/vocabulary.js";
export { runEngine } from "./generation/generate.js";
export {
  type DecodedRows,
  decodeRows,
  type GenerateRowsRequest,
  type GenerationEngine,
  generatedTokens,
  generateRows,
  runRows,
  toResults,
  withinLimit,
} from "./generation/generate-rows.js";
export { chainTokenCallbacks } from "./generation/text-stream.js";
export type { DecoderRunner, PromptRow, StepResult } from "./generation/runner/decoder-runner.js";
export { CausalRunner, type CausalRunnerOptions } from "./generation/runner/causal-runner.js";
export { emptyPast, type KvEntry, type KvLayout, kvLayout, lastLogits } from "./generation/runner/kv-layout.js";
export { DecoderCache, type EncoderMemory } from "./generation/cache/decoder-cache.js";
export { concatRows, dropLeading, gatherRows } from "./generation/cache/row-tensor.js";
export { type CachedPrefix, PrefixCache } from "./generation/cache/prefix-cache.js";
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
export { MetricsRecorder, stats } from "./metrics/generation-metrics.js";
export { Seq2SeqRunner, type Seq2SeqRunnerOptions } from "./generation/runner/seq2seq-runner.js";
export { type BatcherOptions, type BatchRequest, ContinuousBatcher } from "./generation/scheduler/continuous-batcher.js";
