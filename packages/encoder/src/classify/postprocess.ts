import type { ModelConfig } from "@proj/core";
import { sigmoid, softmaxInto } from "../shared/activations.js";
import { topKIndices } from "../shared/top-k.js";
import type { Classification, FunctionToApply } from "./types.js";

/**
 * The score function the Hugging Face text-classification pipeline picks for a model: sigmoid for multi-label
 * models and single-logit models, none for regression, softmax otherwise.
 *
 * @example
 * defaultFunction(config, 2); // "softmax" for an SST-2 model
 */
export function defaultFunction(config: ModelConfig, numLabels: number): FunctionToApply {
  if (config.problemType === "regression") return "none";
  if (config.problemType === "multi_label_classification" || numLabels === 1) return "sigmoid";
  return "softmax";
}

/**
 * Applies a score function to one row of logits, writing into `out`.
 *
 * @example
 * applyFunction(new Float32Array([0, 0]), "softmax", new Float64Array(2)); // [0.5, 0.5]
 */
export function applyFunction(logits: ArrayLike<number>, fn: FunctionToApply, out: Float64Array): Float64Array {
  if (fn === "softmax") return softmaxInto(logits, 0, logits.length, out);
  for (let i = 0; i < logits.length; i++) out[i] = fn === "sigmoid" ? sigmoid(logits[i] as number) : (logits[i] as number);
  return out;
}

/**
 * Turns scores into labelled results, best first, keeping `topK` (`null`: all).
 *
 * @example
 * rankLabels(new Float64Array([0.2, 0.8]), { 0: "NEGATIVE", 1: "POSITIVE" }, 1); // [{ label: "POSITIVE", score: 0.8 }]
 */
export function rankLabels(scores: Float64Array, id2label: Readonly<Record<number, string>>, topK: number | null): Classification[] {
  const k = topK === null ? scores.length : Math.min(topK, scores.length);
  return topKIndices(scores, k).map((i) => ({ label: id2label[i] ?? `LABEL_${i}`, score: scores[i] as number }));
}
