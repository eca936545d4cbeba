import { DEFAULT_MODELS } from "@proj/chooser";
import { InputError } from "@proj/core";
import { softmax } from "../shared/activations.js";
import { checkBatchSize, forwardRows, type RowOutput } from "../shared/batching.js";
import { defaultModel } from "../shared/default-model.js";
import { BaseHandle, checkModelId, type EncoderHandle } from "../shared/encoder-handle.js";
import { EncoderModel } from "../shared/encoder-model.js";
import { CREATE_OPTION_NAMES, type CreateOptions, checkTaskOptions } from "../shared/options.js";
import type { TaskInfo } from "../shared/task.js";
import { checkText, checkTexts, describe } from "../shared/validate.js";
import { type NliLabels, nliLabels } from "./nli-labels.js";
import { ZERO_SHOT_CALL_OPTION_NAMES, type ZeroShotCallOptions, type ZeroShotResult } from "./types.js";

/**
 * The Hub model {@link classifyZeroShot} uses when none is given: DistilBERT fine-tuned on MNLI (English), in its
 * ONNX export.
 *
 * @example
 * const classifier = await createZeroShotClassifier(DEFAULT_ZERO_SHOT_MODEL);
 */
export const DEFAULT_ZERO_SHOT_MODEL: string = DEFAULT_MODELS["zero-shot-classification"];

/**
 * How classifyZeroShot() names itself in errors.
 *
 * @example
 * await EncoderModel.open(id, options, ZERO_SHOT_TASK, [{ name: "logits", rank: 2 }]);
 * @internal
 */
export const ZERO_SHOT_TASK: TaskInfo = {
  fn: "classifyZeroShot",
  what: "natural-language-inference (sequence classification)",
  exportTask: "text-classification",
  example: DEFAULT_ZERO_SHOT_MODEL,
};

const DEFAULT_TEMPLATE = "This example is {}.";

/**
 * A zero-shot classifier that keeps its NLI model loaded: classifies texts into labels chosen at call time, by
 * asking the model whether the text entails "This example is {label}.".
 *
 * @example
 * const classifier = await createZeroShotClassifier("Xenova/distilbert-base-uncased-mnli");
 * await classifier.classify("The striker scored twice", ["sports", "politics", "cooking"]);
 * await classifier.dispose();
 */
export interface ZeroShotClassifier extends EncoderHandle {
  readonly task: "classifyZeroShot";
  /** The indexes of the entailment and contradiction logits, read from `id2label`. */
  readonly nli: Readonly<NliLabels>;
  /** Classifies one text. */
  classify(text: string, candidateLabels: string[], options?: ZeroShotCallOptions): Promise<ZeroShotResult>;
  /** Classifies many texts (every text-label pair batched together): one result per text, in input order. */
  classify(texts: string[], candidateLabels: string[], options?: ZeroShotCallOptions): Promise<ZeroShotResult[]>;
}

/**
 * Loads an NLI model (a sequence-classification export whose `id2label` names entailment) for zero-shot
 * classification.
 *
 * @example
 * const classifier = await createZeroShotClassifier("Xenova/distilbert-base-uncased-mnli", { load: { threads: 2 } });
 */
export async function createZeroShotClassifier(model?: string, options?: CreateOptions): Promise<ZeroShotClassifier> {
  const id = checkModelId(model, "createZeroShotClassifier", defaultModel("zero-shot-classification"));
  const checked = checkTaskOptions(options, "createZeroShotClassifier", CREATE_OPTION_NAMES);
  const encoder = await EncoderModel.open(id, checked, ZERO_SHOT_TASK, [{ name: "logits", rank: 2 }]);
  try {
    const id2label = encoder.model.config.id2label;
    return new ZeroShotHandle(encoder, nliLabels(id2label, Object.keys(id2label).length, encoder.label));
  } catch (error) {
    await encoder.dispose();
    throw error;
  }
}

class ZeroShotHandle extends BaseHandle implements ZeroShotClassifier {
  readonly task = "classifyZeroShot" as const;
  readonly nli: Readonly<NliLabels>;

  constructor(encoder: EncoderModel, nli: NliLabels) {
    super(encoder);
    this.nli = nli;
  }

  classify(text: string, candidateLabels: string[], options?: ZeroShotCallOptions): Promise<ZeroShotResult>;
  classify(texts: string[], candidateLabels: string[], options?: ZeroShotCallOptions): Promise<ZeroShotResult[]>;
  async classify(
    input: string | string[],
    candidateLabels: string[],
    options: ZeroShotCallOptions = {},
  ): Promise<ZeroShotResult | ZeroShotResult[]> {
    this.ensureOpen();
    checkTaskOptions(options, "classifyZeroShot", ZERO_SHOT_CALL_OPTION_NAMES);
    const { texts, single } = checkTexts(input, "classifyZeroShot");
    const labels = checkCandidateLabels(candidateLabels);
    const template = checkTemplate(options.hypothesisTemplate);
    const multiLabel = options.multiLabel ?? false;
    if (typeof multiLabel !== "boolean") throw new InputError(`multiLabel must be true or false, got ${describe(multiLabel)}`);
    const batchSize = checkBatchSize(options.batchSize);

    const hypotheses = labels.map((label) => template.replace("{}", label));
    const tokenizer = this.encoder.model.tokenizer;
    const maxLength = this.encoder.maxLength;
    const rows = await Promise.all(
      texts.flatMap((text) => hypotheses.map((pair) => tokenizer.encode(text, { pair, maxLength, truncation: "only_first" }))),
    );
    const outputs = await forwardRows(this.encoder, rows, ["logits"], batchSize, options.signal);
    const { entailment, contradiction } = this.nli;
    const results = texts.map((sequence, t): ZeroShotResult => {
      const logits = labels.map((_, l) => ((outputs[t * labels.length + l] as Record<string, RowOutput>).logits as RowOutput).data);
      const scores =
        multiLabel || labels.length === 1
          ? logits.map((row) => softmax([row[contradiction] as number, row[entailment] as number])[1] as number)
          : Array.from(softmax(logits.map((row) => row[entailment] as number)));
      const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
      return { sequence, labels: order.map((i) => labels[i] as string), scores: order.map((i) => scores[i] as number) };
    });
    return single ? (results[0] as ZeroShotResult) : results;
  }
}

/**
 * Checks candidate labels: a non-empty array of distinct, non-empty strings.
 *
 * @example
 * checkCandidateLabels(["sports", "politics"]);
 * @internal
 */
export function checkCandidateLabels(labels: unknown): string[] {
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new InputError(
      `classifyZeroShot() expects candidateLabels to be a non-empty array of strings, got ${Array.isArray(labels) ? "an empty array" : describe(labels)}`,
      {
        hint: 'pass the labels to choose from, e.g. ["sports", "politics"]',
      },
    );
  }
  labels.forEach((label, i) => {
    checkText(label, `candidateLabels[${i}]`, "classifyZeroShot");
  });
  const duplicate = labels.find((label, i) => labels.indexOf(label) !== i);
  if (duplicate !== undefined) throw new InputError(`candidateLabels has "${duplicate}" twice`, { hint: "pass each label once" });
  return labels as string[];
}

function checkTemplate(template: unknown): string {
  if (template === undefined) return DEFAULT_TEMPLATE;
  if (typeof template !== "string" || !template.includes("{}")) {
    throw new InputError(
      `hypothesisTemplate must be a string with {} where the label goes, got ${typeof template === "string" ? `"${template}"` : describe(template)}`,
      { hint: `pass e.g. { hypothesisTemplate: "${DEFAULT_TEMPLATE}" }` },
    );
  }
  return template;
}
