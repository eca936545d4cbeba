import type { Device, HubSourceOptions, LoadModelOptions, ModelDtype, SessionOptions } from "@proj/core";

/**
 * Options of {@link pipeline}: the model and how to load it. Every field is optional; without `model` the task's
 * default is used (the embedded model when `@proj/models` has one for the task, else the chooser's default Hub model).
 *
 * @example
 * const options: PipelineOptions = { model: "./models/sst2", dtype: "q8", threads: 2, hub: { onProgress: console.log } };
 */
export interface PipelineOptions {
  /** A local folder in the Optimum ONNX layout, or a Hub id. @defaultValue the task's default model */
  model?: string;
  /** Weight format of the ONNX files (`model.onnx`, `model_quantized.onnx` ...). @defaultValue "auto" (fp32 when present) */
  dtype?: ModelDtype | "auto";
  /** ONNX Runtime intra-op threads. @defaultValue ONNX Runtime's choice (the physical cores) */
  threads?: number;
  /** ONNX Runtime inter-op threads. */
  interOpThreads?: number;
  /** Where the model runs. @defaultValue "cpu" */
  device?: Device;
  /** ONNX Runtime graph optimization level. @defaultValue "all" */
  graphOptimization?: SessionOptions["graphOptimization"];
  /** ONNX Runtime's own log level. @defaultValue "error" */
  logLevel?: SessionOptions["logLevel"];
  /** Hub settings (revision, cache folder, offline, token, download progress) when the model is a Hub id. */
  hub?: HubSourceOptions;
  /** Cancels loading (downloads included). */
  signal?: AbortSignal;
}

/**
 * Options of a translation pipeline: the model, and the default language pair of its calls (a
 * `"translation_xx_to_yy"` task name sets them).
 *
 * @example
 * const translator = await pipeline("translation", { model: "Xenova/m2m100_418M", from: "en", to: "fr" });
 */
export interface TranslationPipelineOptions extends PipelineOptions {
  /** Source language of every call unless the call says otherwise. */
  from?: string;
  /** Target language of every call unless the call says otherwise. */
  to?: string;
}

/**
 * Load options every task package's `create*()` accepts: one weight format for all graphs.
 *
 * @internal
 */
export type PipelineLoadOptions = Omit<LoadModelOptions, "dtype"> & { dtype?: ModelDtype | "auto" };

/**
 * The load options in pipeline options, for the task packages' `create*()` functions.
 *
 * @example
 * const load = loadOptionsOf({ model: "x", threads: 2 }); // { threads: 2 }
 * @internal
 */
export function loadOptionsOf(options: PipelineOptions): PipelineLoadOptions {
  const load: PipelineLoadOptions = {};
  if (options.dtype !== undefined) load.dtype = options.dtype;
  if (options.threads !== undefined) load.threads = options.threads;
  if (options.interOpThreads !== undefined) load.interOpThreads = options.interOpThreads;
  if (options.device !== undefined) load.device = options.device;
  if (options.graphOptimization !== undefined) load.graphOptimization = options.graphOptimization;
  if (options.logLevel !== undefined) load.logLevel = options.logLevel;
  if (options.hub !== undefined) load.hub = options.hub;
  if (options.signal !== undefined) load.signal = options.signal;
  return load;
}
