import type { HubSourceOptions, LoadModelOptions, ModelDtype } from "@proj/core";

/**
 * How a model is loaded: weight format, ONNX Runtime threads and device, Hub download settings.
 * Ignored when a task is given an already created handle, which was loaded with its own options.
 *
 * @example
 * const options: EncoderLoadOptions = { dtype: "q8", threads: 2, hub: { offline: true } };
 */
export interface EncoderLoadOptions {
  /** Weight format of the ONNX file (`model.onnx`, `model_quantized.onnx` ...). @defaultValue "auto" (fp32 when present) */
  dtype?: ModelDtype | "auto";
  /** ONNX Runtime intra-op threads. @defaultValue ONNX Runtime's choice (the physical cores) */
  threads?: number;
  /** ONNX Runtime inter-op threads. */
  interOpThreads?: number;
  /** ONNX Runtime graph optimization level. @defaultValue "all" */
  graphOptimization?: LoadModelOptions["graphOptimization"];
  /** Where the model runs. @defaultValue "cpu" */
  device?: LoadModelOptions["device"];
  /** ONNX Runtime's own log level. @defaultValue "error" */
  logLevel?: LoadModelOptions["logLevel"];
  /** Hub settings (revision, cache folder, offline, token, progress) when the model is a Hub id. */
  hub?: HubSourceOptions;
}

/**
 * Options every task function accepts: which model to use (a folder, a Hub id, or a handle made
 * with the task's `create*()` function) and how to load it.
 *
 * @typeParam H - the task's handle type, e.g. {@link Classifier}.
 * @example
 * await classify("Great film!", { model: "./models/sst2", threads: 2 });
 * await classify("Great film!", { model: await createClassifier("./models/sst2") });
 */
export interface ModelOptions<H> extends EncoderLoadOptions {
  /**
   * A local folder in the Optimum ONNX layout, a Hub id, or a handle created once and reused.
   * When omitted the task's embedded model from `@proj/models` is used (sentiment, NER and fill-mask models trained
   * in this repository: no download, works offline); `answer()` has none and uses its default Hub model
   * (`DEFAULT_QA_MODEL`, downloaded on first use; offline without a cached copy this fails with
   * `OfflineError`, naming the model and how to pass a local folder).
   */
  model?: string | H;
  /**
   * Cancels the call: checked before and after each forward pass, and while the call waits for its model to load
   * (a load shared by several calls goes on for the others).
   */
  signal?: AbortSignal;
}

/**
 * Picks the load options out of a task options object (so task-only fields never reach the loader).
 *
 * @example
 * loadOptionsOf({ threads: 2, topK: 3 } as ClassifyOptions); // { threads: 2 }
 * @internal
 */
export function loadOptionsOf(options: EncoderLoadOptions): EncoderLoadOptions {
  const out: EncoderLoadOptions = {};
  if (options.dtype !== undefined) out.dtype = options.dtype;
  if (options.threads !== undefined) out.threads = options.threads;
  if (options.interOpThreads !== undefined) out.interOpThreads = options.interOpThreads;
  if (options.graphOptimization !== undefined) out.graphOptimization = options.graphOptimization;
  if (options.device !== undefined) out.device = options.device;
  if (options.logLevel !== undefined) out.logLevel = options.logLevel;
  if (options.hub !== undefined) out.hub = options.hub;
  return out;
}
