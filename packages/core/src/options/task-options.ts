import type { ArchitectureFamily } from "../config/family.js";
import { InputError } from "../errors.js";
import type { ModelDtype } from "../session/dtype.js";
import type { SessionOptions } from "../session/session-options.js";
import type { HubSourceOptions } from "../source/hub/hub-source.js";
import { checkOptions, optionNames } from "./check-options.js";
import { describeValue } from "./describe-value.js";

/**
 * How a model is loaded: weight format, ONNX Runtime threads and device, Hub download settings. The same shape for
 * every task function, handle and `pipeline()`, always under `load`. Ignored when a task is given a handle, which
 * was loaded with its own.
 *
 * @example
 * await classify("Great film!", { load: { dtype: "q8", threads: 2, hub: { offline: true } } });
 */
export interface LoadOptions extends SessionOptions {
  /** Weight format of the ONNX files, for all graphs or per graph name. @defaultValue "auto" (fp32 when present) */
  dtype?: ModelDtype | "auto" | Partial<Record<string, ModelDtype | "auto">>;
  /** Override the detected architecture family. */
  family?: ArchitectureFamily;
  /** ONNX graphs to open (file base names such as `"encoder_model"`); the family's usual ones when omitted. */
  graphs?: readonly string[];
  /** Hub options (revision, cache folder, endpoint, offline, progress, token) for Hub ids. */
  hub?: HubSourceOptions;
  /**
   * Open decoder graphs as exported, with logits at every prompt position. By default they are rewritten at load so
   * that prefill computes logits only at the last position, which is all generation reads (same outputs, faster
   * prefill, less memory); the rewritten graph is kept in a disk cache keyed by the source file's SHA-256
   * (`PROJ_CACHE_DIR`, else `$XDG_CACHE_HOME/proj`, else `~/.cache/proj`; `PROJ_CACHE_DIR=off` for none), so later
   * loads open it by path. Turn this on for work that reads the prompt's own logits. @defaultValue false
   */
  fullLogits?: boolean;
}

/**
 * The options every task function and `create*()` handle factory shares: which model (a folder, a Hub id, or a handle
 * made once and reused), how to load it, and a signal that cancels the call. Each task adds its own options beside
 * these.
 *
 * @typeParam H - the task's handle type, accepted as `model`.
 * @example
 * await classify("Great film!", { model: "./models/sst2", load: { threads: 2 }, signal: AbortSignal.timeout(5_000) });
 */
export interface TaskOptions<H = never> {
  /** A local folder in the Optimum ONNX layout, a Hub id, or a handle created once and reused. @defaultValue the task's default model */
  model?: string | H;
  /** How the model is loaded when `model` is a folder or Hub id. */
  load?: LoadOptions;
  /** Cancels the call, and its wait for a model load (a load shared by several calls goes on for the others). */
  signal?: AbortSignal;
}

/** The option names of {@link LoadOptions}. */
export const LOAD_OPTION_NAMES = optionNames<LoadOptions>()([
  "dtype",
  "family",
  "graphs",
  "hub",
  "threads",
  "interOpThreads",
  "graphOptimization",
  "device",
  "logLevel",
  "fullLogits",
]);

/** The option names of {@link TaskOptions}, which every task's option list starts with. */
export const TASK_OPTION_NAMES = optionNames<TaskOptions>()(["model", "load", "signal"]);

const DEVICES = ["cpu", "cuda", "auto"] as const;

/**
 * Checks load options: a plain object of known fields (unknown ones refused with the nearest known name), a device
 * this SDK knows (`"cpu"`, `"cuda"`, `"auto"`), a positive thread count. Returns them (an empty object when omitted).
 *
 * @example
 * checkLoadOptions({ device: "gpu" }, "classify"); // InputError: device must be "cpu", "cuda" or "auto", got "gpu"
 */
export function checkLoadOptions<T extends LoadOptions>(load: T | undefined, fn: string, extra: readonly string[] = []): T {
  const options = checkOptions(load, `${fn}() load options`, [...LOAD_OPTION_NAMES, ...extra]);
  if (options.device !== undefined && !(DEVICES as readonly unknown[]).includes(options.device)) {
    throw new InputError(
      `${fn}(): device must be "cpu", "cuda" or "auto", got ${JSON.stringify(options.device) ?? describeValue(options.device)}`,
      {
        hint: '"auto" uses CUDA when this install of ONNX Runtime has it and the CPU otherwise',
      },
    );
  }
  for (const name of ["threads", "interOpThreads"] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new InputError(`${fn}(): ${name} must be a positive integer, got ${String(value)}`, {
        hint: "omit it for ONNX Runtime's choice",
      });
    }
  }
  return options;
}
