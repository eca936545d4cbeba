import type { TaskOptions } from "@proj/core";
import { optionNames, TASK_OPTION_NAMES } from "@proj/core/internal";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { checkTaskOptions } from "../shared/options.js";
import { createQuestionAnswerer, type QuestionAnswerer } from "./question-answerer.js";
import { type Answer, ANSWER_CALL_OPTION_NAMES, type AnswerCallOptions, type QuestionContext } from "./types.js";
import { checkAnswerOptions, checkQuestions } from "./validate.js";

/**
 * Options of {@link answer}: the model (folder, Hub id or {@link QuestionAnswerer}; `DEFAULT_QA_MODEL`, downloaded on
 * first use, when omitted), how to load it (`load`), a `signal`, and the call options.
 *
 * @example
 * const options: AnswerOptions = { model: "./models/squad", maxAnswerLength: 30, load: { threads: 2 } };
 */
export interface AnswerOptions extends TaskOptions<QuestionAnswerer>, AnswerCallOptions {}

/**
 * The option names of {@link AnswerOptions}: anything else is refused with an `InputError`.
 *
 * @example
 * checkTaskOptions(options, "answer", ANSWER_OPTION_NAMES);
 */
export const ANSWER_OPTION_NAMES = optionNames<AnswerOptions>()([...TASK_OPTION_NAMES, ...ANSWER_CALL_OPTION_NAMES]);

const answerers = taskCache<QuestionAnswerer>();

/**
 * Answers a question by extracting a span of the context, with the semantics of the Hugging Face
 * question-answering pipeline: contexts longer than the window are split into overlapping windows (384 tokens,
 * stride 128 by default) and the best span across windows wins; spans never cross the question or padding and are
 * at most `maxAnswerLength` tokens; `start`/`end` index the original context. Spans with the same text (ignoring
 * case) are one answer whose score is the sum of theirs over all windows, so the best answer is the same whatever
 * `topK` is. Returns one answer, or an array when `topK` is more than 1.
 *
 * @example
 * const best = await answer({ question: "Where is the Eiffel tower?", context: "The Eiffel tower is in Paris." });
 * // { answer: "Paris", score: 0.98, start: 23, end: 28 }
 * const top3 = await answer({ question, context }, { topK: 3 }); // Answer[]
 */
export async function answer(input: QuestionContext, options?: AnswerOptions & { topK?: 1 }): Promise<Answer>;
export async function answer(input: QuestionContext, options: AnswerOptions & { topK: number }): Promise<Answer[]>;
export async function answer(inputs: QuestionContext[], options?: AnswerOptions & { topK?: 1 }): Promise<Answer[]>;
export async function answer(inputs: QuestionContext[], options: AnswerOptions & { topK: number }): Promise<Answer[][]>;
export async function answer(input: QuestionContext | QuestionContext[], options?: AnswerOptions): Promise<Answer | Answer[] | Answer[][]> {
  checkQuestions(input);
  const { model, load, ...call } = checkTaskOptions(options, "answer", ANSWER_OPTION_NAMES);
  checkAnswerOptions(call, Number.MAX_SAFE_INTEGER);
  const answerer = await resolveHandle(
    { model, load, signal: call.signal },
    "answer",
    "question-answering",
    answerers,
    createQuestionAnswerer,
  );
  return answerer.answer(input as QuestionContext, call as AnswerCallOptions & { topK: number });
}
