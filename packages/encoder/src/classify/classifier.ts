import { DEFAULT_MODELS } from "@proj/chooser";
import { type RowOutput, checkBatchSize, forwardRows } from "../shared/batching.js";
import { defaultModel } from "../shared/default-model.js";
import { BaseHandle, checkModelId, type EncoderHandle } from "../shared/encoder-handle.js";
import { EncoderModel } from "../shared/encoder-model.js";
import type { TaskInfo } from "../shared/task.js";
import { CREATE_OPTION_NAMES, type CreateOptions, checkTaskOptions } from "../shared/options.js";
import { checkChoice, checkTexts, checkTopK } from "../shared/validate.js";
import { encodeRows, windowPlan } from "../shared/windows.js";
import { applyFunction, defaultFunction, rankLabels } from "./postprocess.js";
import { type Classification, CLASSIFY_CALL_OPTION_NAMES, type ClassifyCallOptions, type FunctionToApply } from "./types.js";

/**
 * The Hub model {@link classify} uses when none is given and the embedded sentiment model of `@proj/models` (trained
 * here on SST-2, works offline) is not installed: DistilBERT fine-tuned on SST-2 (English sentiment); a stronger
 * model to pass as `model` when accuracy matters more than size.
 *
 * @example
 * const classifier = await createClassifier(DEFAULT_CLASSIFY_MODEL);
 */
export const DEFAULT_CLASSIFY_MODEL: string = DEFAULT_MODELS["text-classification"];

/**
 * How classify() names itself in errors.
 *
 * @example
 * requireEncoder(family, label, modelType, CLASSIFY_TASK);
 * @internal
 */
export const CLASSIFY_TASK: TaskInfo = {
  fn: "classify",
  what: "text classification",
  exportTask: "text-classification",
  example: DEFAULT_CLASSIFY_MODEL,
};

/**
 * What every text classifier does, whether its model runs in this process ({@link Classifier}) or on a serving engine
 * (`createRemoteClassifier`): `classify()` with the same options and results, and `dispose()`. The one-shot
 * {@link classify} takes any of them as `model`.
 *
 * @example
 * const classifier: TextClassifier = process.env.TEI_URL
 *   ? createRemoteClassifier({ kind: "tei", baseURL: process.env.TEI_URL })
 *   : await createClassifier("./models/sst2");
 * const [best] = await classify("I love it", { model: classifier });
 */
export interface TextClassifier {
  readonly task: "classify";
  /** True once {@link TextClassifier.dispose} has run. */
  readonly disposed: boolean;
  /** Classifies one text: its labels, best first. */
  classify(text: string, options?: ClassifyCallOptions): Promise<Classification[]>;
  /** Classifies many texts: one list of labels per text, in input order. */
  classify(texts: string[], options?: ClassifyCallOptions): Promise<Classification[][]>;
  /** Frees what the classifier holds (a remote one only marks itself disposed). Safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * A text classifier that keeps its model loaded: create it once, classify many times, `dispose()` it when done.
 *
 * @example
 * const classifier = await createClassifier("Xenova/distilbert-base-uncased-finetuned-sst-2-english");
 * const [best] = await classifier.classify("What a wonderful day");
 * const all = await classifier.classify(["good", "bad"], { topK: null });
 * await classifier.dispose();
 */
export interface Classifier extends TextClassifier, EncoderHandle {
  readonly task: "classify";
  /** Label names by class index. */
  readonly labels: Readonly<Record<number, string>>;
  /** Classifies one text: its labels, best first. */
  classify(text: string, options?: ClassifyCallOptions): Promise<Classification[]>;
  /** Classifies many texts in batches: one list of labels per text, in input order. */
  classify(texts: string[], options?: ClassifyCallOptions): Promise<Classification[][]>;
}

/**
 * Loads a sequence-classification model (sentiment, topic, toxicity ...) from a folder in the Optimum ONNX
 * layout or a Hub id (the embedded sentiment model when omitted). Refuses decoder and encoder-decoder models, and
 * models without a classification head, with an `InputError` that says what to use instead.
 *
 * @example
 * const classifier = await createClassifier("./models/sst2", { load: { threads: 2 } });
 * await classifier.classify("I love it"); // [{ label: "POSITIVE", score: 0.99 }]
 */
export async function createClassifier(model?: string, options?: CreateOptions): Promise<Classifier> {
  const id = checkModelId(model, "createClassifier", defaultModel("text-classification"));
  const checked = checkTaskOptions(options, "createClassifier", CREATE_OPTION_NAMES);
  const encoder = await EncoderModel.open(id, checked, CLASSIFY_TASK, [{ name: "logits", rank: 2 }]);
  return new ClassifierHandle(encoder);
}

class ClassifierHandle extends BaseHandle implements Classifier {
  readonly task = "classify" as const;

  constructor(encoder: EncoderModel) {
    super(encoder);
  }

  get labels(): Readonly<Record<number, string>> {
    return this.encoder.model.config.id2label;
  }

  classify(text: string, options?: ClassifyCallOptions): Promise<Classification[]>;
  classify(texts: string[], options?: ClassifyCallOptions): Promise<Classification[][]>;
  async classify(input: string | string[], options: ClassifyCallOptions = {}): Promise<Classification[] | Classification[][]> {
    this.ensureOpen();
    checkTaskOptions(options, "classify", CLASSIFY_CALL_OPTION_NAMES);
    const { texts, single } = checkTexts(input, "classify");
    const topK = checkTopK(options.topK, 1, true);
    const fn =
      options.functionToApply === undefined
        ? undefined
        : checkChoice(options.functionToApply, "functionToApply", ["softmax", "sigmoid", "none"], "softmax");
    const batchSize = checkBatchSize(options.batchSize);
    const mode = checkChoice(options.truncation, "truncation", ["truncate", "window"], "truncate");
    const plan = windowPlan(this.encoder.maxLength, options.maxLength, options.stride, mode);

    const { rows, owner } = await encodeRows(this.encoder.model.tokenizer, texts, plan);
    const outputs = await forwardRows(this.encoder, rows, ["logits"], batchSize, options.signal);
    const results = this.#score(
      texts.length,
      outputs.map((o) => o.logits as RowOutput),
      owner,
      fn,
      topK,
    );
    return single ? (results[0] as Classification[]) : results;
  }

  /** Scores each row, averages the rows (windows) of each text, and ranks the labels. */
  #score(
    count: number,
    logits: RowOutput[],
    owner: number[],
    requested: FunctionToApply | undefined,
    topK: number | null,
  ): Classification[][] {
    const numLabels = logits[0]?.data.length ?? 0;
    const fn = requested ?? defaultFunction(this.encoder.model.config, numLabels);
    const sums = Array.from({ length: count }, () => new Float64Array(numLabels));
    const counts = new Array<number>(count).fill(0);
    const row = new Float64Array(numLabels);
    logits.forEach((out, r) => {
      const text = owner[r] as number;
      applyFunction(out.data, fn, row);
      const sum = sums[text] as Float64Array;
      for (let i = 0; i < numLabels; i++) sum[i] = (sum[i] as number) + (row[i] as number);
      counts[text] = (counts[text] as number) + 1;
    });
    return sums.map((sum, t) => {
      const n = counts[t] as number;
      if (n > 1) for (let i = 0; i < numLabels; i++) sum[i] = (sum[i] as number) / n;
      return rankLabels(sum, this.labels, topK);
    });
  }
}
