import type { InferenceSession } from "onnxruntime-node";

/** Where a model runs. `"auto"` uses CUDA when this machine's ONNX Runtime has it, else the CPU. */
export type Device = "cpu" | "cuda" | "auto";

/** How ONNX Runtime sessions are created. */
export interface SessionOptions {
  /** Threads used inside one operator (intra-op). Defaults to ONNX Runtime's choice (the physical cores). */
  threads?: number;
  /** Threads used across independent operators (inter-op). */
  interOpThreads?: number;
  /** Graph optimization level. @defaultValue "all" */
  graphOptimization?: "disabled" | "basic" | "extended" | "all";
  /** Execution provider. @defaultValue "cpu" */
  device?: Device;
  /** ONNX Runtime's own log level. @defaultValue "error" */
  logLevel?: "verbose" | "info" | "warning" | "error" | "fatal";
}

const LOG_LEVELS = { verbose: 0, info: 1, warning: 2, error: 3, fatal: 4 } as const;

/**
 * Maps {@link SessionOptions} to ONNX Runtime's own options for one execution provider.
 *
 * @example
 * toOrtOptions({ threads: 2 }, "cpu"); // { intraOpNumThreads: 2, executionProviders: ["cpu"], ... }
 */
export function toOrtOptions(options: SessionOptions, provider: "cpu" | "cuda"): InferenceSession.SessionOptions {
  const ort: InferenceSession.SessionOptions = {
    executionProviders: provider === "cuda" ? ["cuda", "cpu"] : ["cpu"],
    graphOptimizationLevel: options.graphOptimization ?? "all",
    logSeverityLevel: LOG_LEVELS[options.logLevel ?? "error"],
  };
  if (options.threads !== undefined) ort.intraOpNumThreads = options.threads;
  if (options.interOpThreads !== undefined) {
    ort.interOpNumThreads = options.interOpThreads;
    ort.executionMode = "parallel";
  }
  return ort;
}

/**
 * A stable key for options, so that equal options share one session.
 *
 * @example
 * sessionOptionsKey({ threads: 2 }) === sessionOptionsKey({ threads: 2, device: "cpu" }); // true
 */
export function sessionOptionsKey(options: SessionOptions): string {
  return JSON.stringify([
    options.threads ?? null,
    options.interOpThreads ?? null,
    options.graphOptimization ?? "all",
    options.device ?? "cpu",
    options.logLevel ?? "error",
  ]);
}
