import { modelShape } from "../config/model-shape.js";
import type { WeightDtype } from "../estimate/dtype.js";
import { estimateMemory, type MemoryEstimate } from "../estimate/memory.js";
import type { RecommendedModel, TaskRow } from "../tasks/types.js";
import { baseLanguage } from "../languages/languages.js";
import { type ArchitectureConstraints, LATENCY_PARAMETER_LIMITS } from "./constraints.js";

/**
 * A recommended model checked against the constraints.
 *
 * @example
 * const [best] = chooseArchitecture("chat", { memoryBudgetMb: 1500 }).models;
 * best?.fits; // true
 */
export interface RankedModel {
  /** The model. */
  model: RecommendedModel;
  /** True when it meets every constraint (languages, memory, latency, license). */
  fits: boolean;
  /** The weight format the memory estimate assumes: the one asked for, or a smaller one that fits the budget. */
  dtype: WeightDtype;
  /** Memory estimate for the batch and input length asked for (inputs are cut to the model's window). */
  memory: MemoryEstimate;
  /** True when the longest input fits the model's window without a long-input strategy. */
  coversInput: boolean;
  /** Why it ranks where it does. */
  reasons: string[];
  /** Constraints it misses (empty when it fits). */
  problems: string[];
}

type Coverage = "yes" | "likely" | "no";
const FALLBACK_DTYPES: readonly WeightDtype[] = ["fp16", "q8", "q4"];
const MB = 1024 * 1024;

/**
 * Checks one model against the constraints: languages (and translation direction), memory for the batch and input
 * length (trying smaller weight formats when the budget is short), latency class and license.
 *
 * @example
 * rankModel(taskRow("translation").models[1]!, taskRow("translation"), { from: "en", to: "de" }).fits; // true
 */
export function rankModel(model: RecommendedModel, row: TaskRow, c: ArchitectureConstraints): RankedModel {
  const reasons: string[] = [];
  const problems: string[] = [];

  languageCoverage(model, row, c, reasons, problems);
  const coversInput = c.maxInputTokens === undefined || c.maxInputTokens <= model.contextTokens;
  if (c.maxInputTokens !== undefined) {
    reasons.push(
      coversInput
        ? `its ${model.contextTokens}-token window holds inputs of ${c.maxInputTokens} tokens`
        : `inputs of ${c.maxInputTokens} tokens exceed its ${model.contextTokens}-token window (see the long-input strategy)`,
    );
  }

  const shape = modelShape(model.config);
  const sequenceLength = Math.min(c.maxInputTokens ?? 512, model.contextTokens);
  const estimate = (dtype: WeightDtype, length = sequenceLength): MemoryEstimate =>
    estimateMemory(shape, { batchSize: c.batchSize ?? 1, sequenceLength: length, outputLength: c.maxOutputTokens ?? 128, dtype });
  const requested = c.dtype ?? "fp32";
  let dtype = requested;
  let memory = estimate(requested);
  if (c.memoryBudgetMb !== undefined) {
    const budget = c.memoryBudgetMb * MB;
    if (memory.totalBytes > budget) {
      const smaller = FALLBACK_DTYPES.slice(FALLBACK_DTYPES.indexOf(requested as (typeof FALLBACK_DTYPES)[number]) + 1).find(
        (d) => estimate(d).totalBytes <= budget,
      );
      if (smaller) {
        reasons.push(
          `needs ${mb(memory.totalBytes)} MB as ${requested}; fits the ${c.memoryBudgetMb} MB budget as ${smaller} (${mb(estimate(smaller).totalBytes)} MB), if the repository has ${smaller} weights`,
        );
        dtype = smaller;
        memory = estimate(smaller);
      } else {
        const longest = longestWithin(budget, (length) => estimate("q4", length).totalBytes, sequenceLength);
        problems.push(
          `needs about ${mb(memory.totalBytes)} MB as ${requested} (${mb(estimate("q4").totalBytes)} MB even as q4), over the ${c.memoryBudgetMb} MB budget` +
            (longest > 0 ? `; as q4 it fits inputs up to ${longest} tokens` : ""),
        );
      }
    } else {
      reasons.push(`needs about ${mb(memory.totalBytes)} MB as ${requested}, within the ${c.memoryBudgetMb} MB budget`);
    }
  }

  if (c.latency !== undefined) {
    const limit = LATENCY_PARAMETER_LIMITS[c.latency];
    if (model.parameters > limit)
      problems.push(`${millions(model.parameters)} parameters is too slow for "${c.latency}" latency on a CPU (up to ${millions(limit)})`);
    else reasons.push(`${millions(model.parameters)} parameters suits "${c.latency}" latency`);
  }
  if (c.commercialUse === true && !model.commercialUse) problems.push(`its license (${model.license}) does not allow commercial use`);

  return { model, fits: problems.length === 0, dtype, memory, coversInput, reasons, problems };
}

/**
 * Orders ranked models: those that fit first, then explicit language support over likely, then those whose window
 * holds the input, then the table's order (the default first).
 *
 * @example
 * const ordered = sortRanked(ranked, row);
 */
export function sortRanked(ranked: readonly RankedModel[], row: TaskRow, c: ArchitectureConstraints): RankedModel[] {
  const order = (r: RankedModel): number[] => [
    r.fits ? 0 : 1,
    languageRank(r.model, row, c),
    r.coversInput ? 0 : 1,
    row.models.indexOf(r.model),
  ];
  return [...ranked].sort((a, b) => {
    const x = order(a);
    const y = order(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return 0;
  });
}

function languageRank(model: RecommendedModel, row: TaskRow, c: ArchitectureConstraints): number {
  const coverage = languageCoverage(model, row, c, [], []);
  return coverage === "yes" ? 0 : coverage === "likely" ? 1 : 2;
}

function languageCoverage(
  model: RecommendedModel,
  row: TaskRow,
  c: ArchitectureConstraints,
  reasons: string[],
  problems: string[],
): Coverage {
  const wanted = [...new Set([...(c.languages ?? []), ...(c.from ? [c.from] : []), ...(c.to ? [c.to] : [])].map(baseLanguage))];
  if (wanted.length === 0) return "yes";
  let result: Coverage = "yes";
  for (const lang of wanted) {
    const coverage = covers(model, lang);
    if (coverage === "no") {
      problems.push(`not trained for "${lang}" (${model.languageCount ? `${model.languageCount} languages` : model.languages.join(", ")})`);
      result = "no";
    } else if (coverage === "likely" && result === "yes") {
      result = "likely";
    }
  }
  if (row.task === "translation" && c.from && c.to && model.directions && result !== "no") {
    const direction = `${baseLanguage(c.from)}->${baseLanguage(c.to)}`;
    if (!model.directions.includes(direction) && !model.directions.includes("*->*")) {
      problems.push(`translates ${model.directions.join(", ")}, not ${direction}`);
      return "no";
    }
  }
  if (result === "yes") reasons.push(`trained for ${wanted.join(", ")}`);
  if (result === "likely")
    reasons.push(`covers ${model.languageCount} languages, likely including ${wanted.join(", ")} (check its model card)`);
  return result;
}

function covers(model: RecommendedModel, lang: string): Coverage {
  if (model.languages.includes(lang)) return "yes";
  return model.languageCount !== undefined && model.languageCount > model.languages.length ? "likely" : "no";
}

/** The longest input length in [1, max] whose memory is within the budget (0 when none is). */
function longestWithin(budget: number, bytesAt: (length: number) => number, max: number): number {
  if (bytesAt(1) > budget) return 0;
  let lo = 1;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (bytesAt(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function mb(bytes: number): number {
  return Math.ceil(bytes / MB);
}

function millions(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(n % 1e9 === 0 ? 0 : 2)}B` : `${Math.round(n / 1e6)}M`;
}
