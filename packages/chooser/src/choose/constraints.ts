import { ChooserError } from "../errors.js";
import { WEIGHT_DTYPES, type WeightDtype } from "../estimate/dtype.js";

/**
 * How fast answers must come, which bounds model size on a CPU:
 * - `"realtime"`: tens of milliseconds per input (autocomplete, per-keystroke): up to about 150M parameters;
 * - `"interactive"`: a person waits, or the answer streams: up to about 1.5B parameters;
 * - `"batch"`: offline jobs: any size.
 *
 * @example
 * chooseArchitecture("chat", { latency: "interactive" });
 */
export type LatencyClass = "realtime" | "interactive" | "batch";

/** Largest model (parameters) for each {@link LatencyClass}. */
export const LATENCY_PARAMETER_LIMITS: Readonly<Record<LatencyClass, number>> = {
  realtime: 150e6,
  interactive: 1.5e9,
  batch: Number.POSITIVE_INFINITY,
};

/**
 * Constraints for {@link chooseArchitecture}; every field is optional.
 *
 * @example
 * const constraints: ArchitectureConstraints = { languages: ["de"], maxInputTokens: 4000, memoryBudgetMb: 1024, latency: "interactive" };
 */
export interface ArchitectureConstraints {
  /** Languages the inputs are in (ISO 639-1 codes such as `"de"`; `"de-CH"` counts as `"de"`). */
  languages?: readonly string[];
  /** Translation only: source language (set by a `translation_xx_to_yy` task name). */
  from?: string;
  /** Translation only: target language (set by a `translation_xx_to_yy` task name). */
  to?: string;
  /** Longest input, in tokens. Longer than a model's window calls for the task's long-input strategy or a long-context model. */
  maxInputTokens?: number;
  /** Tokens to generate per input (generation tasks). @defaultValue 128 */
  maxOutputTokens?: number;
  /** Memory the model may use, in megabytes (weights, KV cache and activations). */
  memoryBudgetMb?: number;
  /** How fast answers must come. */
  latency?: LatencyClass;
  /** Inputs run together (memory grows with it). @defaultValue 1 */
  batchSize?: number;
  /** Weight format to assume; when the budget is too small for it, smaller formats are tried. @defaultValue "fp32" */
  dtype?: WeightDtype;
  /** Only licenses that allow commercial use. */
  commercialUse?: boolean;
}

/**
 * Checks constraints, throwing a {@link ChooserError} with code `"INVALID_CONSTRAINT"` that names the field.
 *
 * @example
 * checkConstraints({ maxInputTokens: -1 }); // throws: maxInputTokens must be a positive integer
 */
export function checkConstraints(constraints: ArchitectureConstraints): ArchitectureConstraints {
  if (constraints === null || typeof constraints !== "object") {
    throw new ChooserError(
      "INVALID_CONSTRAINT",
      `Expected a constraints object, got ${constraints === null ? "null" : typeof constraints}`,
    );
  }
  const c = constraints;
  if (c.languages !== undefined && (!Array.isArray(c.languages) || !c.languages.every((l) => typeof l === "string" && l.trim() !== ""))) {
    throw invalid("languages must be an array of language codes", 'e.g. { languages: ["en", "de"] }');
  }
  for (const key of ["from", "to"] as const) {
    const value = c[key];
    if (value !== undefined && (typeof value !== "string" || value.trim() === ""))
      throw invalid(`${key} must be a language code`, `e.g. { ${key}: "de" }`);
  }
  for (const key of ["maxInputTokens", "maxOutputTokens", "batchSize"] as const) {
    const value = c[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1))
      throw invalid(`${key} must be a positive integer, got ${String(value)}`, `e.g. { ${key}: 512 }`);
  }
  if (
    c.memoryBudgetMb !== undefined &&
    !(typeof c.memoryBudgetMb === "number" && c.memoryBudgetMb > 0 && Number.isFinite(c.memoryBudgetMb))
  ) {
    throw invalid(
      `memoryBudgetMb must be a positive number of megabytes, got ${String(c.memoryBudgetMb)}`,
      "e.g. { memoryBudgetMb: 2048 }",
    );
  }
  if (c.latency !== undefined && !Object.hasOwn(LATENCY_PARAMETER_LIMITS, c.latency)) {
    throw invalid(
      `latency must be "realtime", "interactive" or "batch", got ${JSON.stringify(c.latency)}`,
      'e.g. { latency: "interactive" }',
    );
  }
  if (c.dtype !== undefined && !WEIGHT_DTYPES.includes(c.dtype)) {
    throw invalid(`dtype must be one of ${WEIGHT_DTYPES.join(", ")}, got ${JSON.stringify(c.dtype)}`, 'e.g. { dtype: "q8" }');
  }
  if (c.commercialUse !== undefined && typeof c.commercialUse !== "boolean")
    throw invalid("commercialUse must be true or false", "e.g. { commercialUse: true }");
  return c;
}

function invalid(message: string, hint: string): ChooserError {
  return new ChooserError("INVALID_CONSTRAINT", message, hint);
}
