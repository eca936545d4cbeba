import { optionNames } from "@proj/core/internal";

/**
 * A question about a context text.
 *
 * @example
 * const input: QuestionContext = { question: "Where is the Eiffel tower?", context: "The Eiffel tower is in Paris." };
 */
export interface QuestionContext {
  /** The question. */
  question: string;
  /** The text that holds the answer. */
  context: string;
}

/**
 * An answer: a span of the context, with its score.
 *
 * @example
 * const { answer, start, end } = await answer({ question, context });
 * context.slice(start, end) === answer; // true
 */
export interface Answer {
  /** The answer, `context.slice(start, end)`; `""` for "no answer" (with `handleImpossibleAnswer`). */
  answer: string;
  /** Probability of the span: start probability times end probability, summed over the spans of all windows with the same text (ignoring case). */
  score: number;
  /** Start of the answer in the context, a JavaScript string index. */
  start: number;
  /** End (exclusive) of the answer in the context. */
  end: number;
}

/**
 * Options of one question-answering call (on a handle or through {@link answer}).
 *
 * @example
 * const options: AnswerCallOptions = { topK: 3, maxAnswerLength: 30 };
 */
export interface AnswerCallOptions {
  /** How many answers to return, best first. With more than 1 the result is an array. @defaultValue 1 */
  topK?: number;
  /** Longest answer in tokens. @defaultValue 15 */
  maxAnswerLength?: number;
  /** Tokens per window (question, context part and special tokens). @defaultValue 384, or the model's window when smaller */
  maxSeqLength?: number;
  /** Context tokens each window repeats from the previous one. @defaultValue 128, or half of `maxSeqLength` when smaller */
  docStride?: number;
  /** Also consider "no answer" (the `[CLS]` token's score, lowest over the windows), returned as `answer: ""`. @defaultValue false */
  handleImpossibleAnswer?: boolean;
  /** Widen an answer that starts or ends inside a word to the whole word. @defaultValue true */
  alignToWords?: boolean;
  /** Windows run in one forward pass. @defaultValue 32 */
  batchSize?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * The option names of {@link AnswerCallOptions}, which a question answerer's `answer()` accepts.
 *
 * @example
 * checkTaskOptions(options, "answer", ANSWER_CALL_OPTION_NAMES);
 */
export const ANSWER_CALL_OPTION_NAMES = optionNames<AnswerCallOptions>()([
  "topK",
  "maxAnswerLength",
  "maxSeqLength",
  "docStride",
  "handleImpossibleAnswer",
  "alignToWords",
  "batchSize",
  "signal",
]);
