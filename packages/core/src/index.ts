export {
  AbortError,
  DisposedError,
  DownloadError,
  InputError,
  ModelFormatError,
  ModelNotFoundError,
  OfflineError,
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
