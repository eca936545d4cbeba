import { DEFAULT_MODELS } from "@proj/chooser";
import { type Encoding, InputError } from "@proj/core";
import { checkBatchSize, forwardRows } from "../shared/batching.js";
import { BaseHandle, checkModelId, type EncoderHandle } from "../shared/encoder-handle.js";
import { EncoderModel } from "../shared/encoder-model.js";
import type { TaskInfo } from "../shared/task.js";
import { defaultModel } from "../shared/default-model.js";
import { AnswerCollector } from "./collect.js";
import { CREATE_OPTION_NAMES, type CreateOptions, checkTaskOptions } from "../shared/options.js";
import { checkAnswerOptions, checkQuestions } from "./validate.js";
import { charBounds, scoreWindow } from "./spans.js";
import { type Answer, ANSWER_CALL_OPTION_NAMES, type AnswerCallOptions, type QuestionContext } from "./types.js";

/**
 * The Hub model {@link answer} uses when none is given: DistilBERT (cased) distilled on SQuAD.
 *
 * @example
 * const qa = await createQuestionAnswerer(DEFAULT_QA_MODEL);
 */
export const DEFAULT_QA_MODEL: string = DEFAULT_MODELS["question-answering"];

/**
 * How answer() names itself in errors.
 *
 * @example
 * EncoderModel.open(id, options, QA_TASK, heads);
 * @internal
 */
export const QA_TASK: TaskInfo = {
  fn: "answer",
  what: "extractive question answering",
  exportTask: "question-answering",
  example: DEFAULT_QA_MODEL,
};

/**
 * An extractive question answerer that keeps its model loaded.
 *
 * @example
 * const qa = await createQuestionAnswerer("Xenova/distilbert-base-cased-distilled-squad");
 * const best = await qa.answer({ question: "Where is the tower?", context: "The tower is in Paris." });
 * const top3 = await qa.answer({ question: "Where is the tower?", context: "The tower is in Paris." }, { topK: 3 });
 * await qa.dispose();
 */
export interface QuestionAnswerer extends EncoderHandle {
  readonly task: "answer";
  /** The best answer to one question. */
  answer(input: QuestionContext, options?: AnswerCallOptions & { topK?: 1 }): Promise<Answer>;
  /** The best `topK` answers to one question, best first. */
  answer(input: QuestionContext, options: AnswerCallOptions & { topK: number }): Promise<Answer[]>;
  /** The best answer to each question, in input order. */
  answer(inputs: QuestionContext[], options?: AnswerCallOptions & { topK?: 1 }): Promise<Answer[]>;
  /** The best `topK` answers to each question. */
  answer(inputs: QuestionContext[], options: AnswerCallOptions & { topK: number }): Promise<Answer[][]>;
}

/**
 * Loads an extractive question-answering model (a `start_logits`/`end_logits` head) from a folder in the Optimum
 * ONNX layout or a Hub id (`DEFAULT_QA_MODEL`, downloaded on first use, when omitted).
 *
 * @example
 * const qa = await createQuestionAnswerer("./models/squad", { load: { threads: 2 } });
 */
export async function createQuestionAnswerer(model?: string, options?: CreateOptions): Promise<QuestionAnswerer> {
  const id = checkModelId(model, "createQuestionAnswerer", defaultModel("question-answering"));
  const checked = checkTaskOptions(options, "createQuestionAnswerer", CREATE_OPTION_NAMES);
  const encoder = await EncoderModel.open(id, checked, QA_TASK, [
    { name: "start_logits", rank: 2 },
    { name: "end_logits", rank: 2 },
  ]);
  return new QuestionAnswererHandle(encoder);
}

class QuestionAnswererHandle extends BaseHandle implements QuestionAnswerer {
  readonly task = "answer" as const;

  constructor(encoder: EncoderModel) {
    super(encoder);
  }

  answer(input: QuestionContext, options?: AnswerCallOptions & { topK?: 1 }): Promise<Answer>;
  answer(input: QuestionContext, options: AnswerCallOptions & { topK: number }): Promise<Answer[]>;
  answer(inputs: QuestionContext[], options?: AnswerCallOptions & { topK?: 1 }): Promise<Answer[]>;
  answer(inputs: QuestionContext[], options: AnswerCallOptions & { topK: number }): Promise<Answer[][]>;
  async answer(input: QuestionContext | QuestionContext[], options: AnswerCallOptions = {}): Promise<Answer | Answer[] | Answer[][]> {
    this.ensureOpen();
    checkTaskOptions(options, "answer", ANSWER_CALL_OPTION_NAMES);
    const { items, single } = checkQuestions(input);
    const opts = checkAnswerOptions(options, this.encoder.maxLength);
    const batchSize = checkBatchSize(options.batchSize);
    const tokenizer = this.encoder.model.tokenizer;

    const rows: Encoding[] = [];
    const owner: number[] = [];
    for (let q = 0; q < items.length; q++) {
      const { question, context } = items[q] as QuestionContext;
      const windows = await tokenizer
        .encodeWindows(question, { pair: context, maxLength: opts.maxSeqLength, stride: opts.docStride, truncation: "only_second" })
        .catch((error: unknown) => {
          throw new InputError(
            `${items.length > 1 ? `Question ${q}` : "The question"} leaves too little room for the context in windows of ${opts.maxSeqLength} tokens with docStride ${opts.docStride}`,
            { hint: "shorten the question, raise maxSeqLength (up to the model's window) or lower docStride", cause: error },
          );
        });
      if (!windows.some((window) => window.sequenceIds.includes(1))) {
        // Only characters the tokenizer drops (control, zero-width, lone surrogates): no span can be the answer.
        throw new InputError(`${items.length > 1 ? `The context of question ${q}` : "The context"} has no tokens the model can read`, {
          hint: "pass a context with words in it; control, zero-width and unpaired surrogate characters are dropped by the tokenizer",
        });
      }
      for (const window of windows) {
        rows.push(window);
        owner.push(q);
      }
    }
    const outputs = await forwardRows(this.encoder, rows, ["start_logits", "end_logits"], batchSize, options.signal);

    const collectors = items.map((item) => new AnswerCollector(item.context));
    const nullScores = new Array<number>(items.length).fill(1_000_000);
    const clsId = tokenizer.specialIds.cls;
    rows.forEach((encoding, r) => {
      const q = owner[r] as number;
      const out = outputs[r];
      if (!out?.start_logits || !out.end_logits) return;
      const { from, to } = charBounds(encoding, opts.alignToWords);
      const collector = collectors[q] as AnswerCollector;
      const { nullScore } = scoreWindow(
        encoding,
        out.start_logits.data,
        out.end_logits.data,
        { maxAnswerLength: opts.maxAnswerLength, clsId },
        (span) => collector.add(from[span.start] as number, to[span.end] as number, span.score),
      );
      nullScores[q] = Math.min(nullScores[q] as number, nullScore);
    });
    const results = collectors.map((c, q) => c.best(opts.topK, opts.handleImpossibleAnswer ? nullScores[q] : undefined));
    const shaped = opts.asArray ? results : results.map((r) => r[0] as Answer);
    return single ? (shaped[0] as Answer | Answer[]) : (shaped as Answer[] | Answer[][]);
  }
}
