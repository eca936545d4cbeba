import type { TaskOptions } from "@proj/core";
import { optionNames, TASK_OPTION_NAMES } from "@proj/core/internal";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { checkTaskOptions } from "../shared/options.js";
import { checkTexts } from "../shared/validate.js";
import { ZERO_SHOT_CALL_OPTION_NAMES, type ZeroShotCallOptions, type ZeroShotResult } from "./types.js";
import { checkCandidateLabels, createZeroShotClassifier, type ZeroShotClassifier } from "./zero-shot-classifier.js";

/**
 * Options of {@link classifyZeroShot}: the model (folder, Hub id or {@link ZeroShotClassifier};
 * distilbert-base-uncased-mnli when omitted), how to load it (`load`), a `signal`, and the call options.
 *
 * @example
 * const options: ClassifyZeroShotOptions = { multiLabel: true, hypothesisTemplate: "This text is about {}." };
 */
export interface ClassifyZeroShotOptions extends TaskOptions<ZeroShotClassifier>, ZeroShotCallOptions {}

/**
 * The option names of {@link ClassifyZeroShotOptions}.
 *
 * @example
 * checkTaskOptions(options, "classifyZeroShot", CLASSIFY_ZERO_SHOT_OPTION_NAMES);
 */
export const CLASSIFY_ZERO_SHOT_OPTION_NAMES = optionNames<ClassifyZeroShotOptions>()([
  ...TASK_OPTION_NAMES,
  ...ZERO_SHOT_CALL_OPTION_NAMES,
]);

const classifiers = taskCache<ZeroShotClassifier>();

/**
 * Classifies text into labels chosen at call time, with no training: an NLI model judges whether the text entails
 * "This example is {label}." for each candidate, as the Hugging Face `zero-shot-classification` pipeline does
 * (softmax of the entailment logits across labels, or entailment against contradiction per label with
 * `multiLabel`). A text longer than the model loses its end (`only_first`), never the hypothesis.
 *
 * @example
 * await classifyZeroShot("The striker scored twice in the final", ["sports", "politics", "cooking"]);
 * // { sequence: "The striker ...", labels: ["sports", "cooking", "politics"], scores: [0.91, 0.05, 0.04] }
 */
export async function classifyZeroShot(text: string, candidateLabels: string[], options?: ClassifyZeroShotOptions): Promise<ZeroShotResult>;
export async function classifyZeroShot(
  texts: string[],
  candidateLabels: string[],
  options?: ClassifyZeroShotOptions,
): Promise<ZeroShotResult[]>;
export async function classifyZeroShot(
  input: string | string[],
  candidateLabels: string[],
  options?: ClassifyZeroShotOptions,
): Promise<ZeroShotResult | ZeroShotResult[]> {
  checkTexts(input, "classifyZeroShot");
  checkCandidateLabels(candidateLabels);
  const { model, load, ...call } = checkTaskOptions(options, "classifyZeroShot", CLASSIFY_ZERO_SHOT_OPTION_NAMES);
  const classifier = await resolveHandle(
    { model, load, signal: call.signal },
    "classifyZeroShot",
    "zero-shot-classification",
    classifiers,
    createZeroShotClassifier,
  );
  return classifier.classify(input as string, candidateLabels, call);
}
