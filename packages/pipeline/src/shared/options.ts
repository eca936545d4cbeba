import type { LoadOptions, TaskOptions } from "@proj/core";
import { optionNames } from "@proj/core/internal";

/**
 * Options of {@link pipeline}: the model, how to load it, and a signal that cancels loading: the shape every task
 * function and `create*()` factory takes (`TaskOptions` of `@proj/core`). Without `model` the task's default is used
 * (the embedded model when `@proj/models` has one for the task, else the chooser's default Hub model). An option it
 * does not know is refused with an `InputError` naming the nearest one.
 *
 * @example
 * const options: PipelineOptions = { model: "./models/sst2", load: { dtype: "q8", threads: 2, hub: { onProgress: console.log } } };
 */
export interface PipelineOptions extends TaskOptions {
  /** A local folder in the Optimum ONNX layout, or a Hub id. @defaultValue the task's default model */
  model?: string;
  /** How the model is loaded: weight format, ONNX Runtime threads and device, Hub settings. */
  load?: LoadOptions;
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

/** The option names of {@link PipelineOptions}. @internal */
export const PIPELINE_OPTION_NAMES = optionNames<PipelineOptions>()(["model", "load", "signal"]);

/** The option names of {@link TranslationPipelineOptions}. @internal */
export const TRANSLATION_PIPELINE_OPTION_NAMES = optionNames<TranslationPipelineOptions>()(["model", "load", "signal", "from", "to"]);
