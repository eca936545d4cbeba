import { InputError } from "@proj/core";
import { checkInteger, checkText, describe } from "../shared/validate.js";
import type { AnswerCallOptions, QuestionContext } from "./types.js";

/**
 * Checked answer options with defaults applied.
 *
 * @example
 * const resolved: ResolvedAnswerOptions = checkAnswerOptions({}, 512); // maxSeqLength 384, docStride 128
 * @internal
 */
export interface ResolvedAnswerOptions {
  topK: number;
  asArray: boolean;
  maxAnswerLength: number;
  maxSeqLength: number;
  docStride: number;
  handleImpossibleAnswer: boolean;
  alignToWords: boolean;
}

/**
 * Checks the input of {@link answer}: one `{ question, context }` or a non-empty array of them.
 *
 * @example
 * checkQuestions({ question: "Why?", context: "Because." }); // { items: [...], single: true }
 * @internal
 */
export function checkQuestions(input: unknown): { items: QuestionContext[]; single: boolean } {
  const single = !Array.isArray(input);
  const items = single ? [input] : (input as unknown[]);
  if (items.length === 0) throw new InputError("answer() was given an empty array", { hint: "pass at least one { question, context }" });
  items.forEach((item, i) => {
    const where = single ? "" : `[${i}]`;
    if (item === null || typeof item !== "object") {
      throw new InputError(`answer() expects { question, context }${where ? ` at index ${i}` : ""}, got ${describe(item)}`, {
        hint: 'pass e.g. { question: "Where is it?", context: "It is in Paris." }',
      });
    }
    const { question, context } = item as Partial<QuestionContext>;
    checkText(question, `question${where}`, "answer");
    checkText(context, `context${where}`, "answer");
  });
  return { items: items as QuestionContext[], single };
}

/**
 * Checks the values of answer options (their names are checked by the caller) and applies the Hugging Face defaults
 * (window 384, stride 128, answers of at most 15 tokens).
 *
 * @example
 * checkAnswerOptions({ topK: 3 }, 512).maxAnswerLength; // 15
 * @internal
 */
export function checkAnswerOptions(options: AnswerCallOptions, modelMax: number): ResolvedAnswerOptions {
  const topK = options.topK === undefined ? 1 : checkInteger(options.topK, "topK", 1, Number.MAX_SAFE_INTEGER, "pass a positive integer");
  const maxAnswerLength = options.maxAnswerLength === undefined ? 15 : checkInteger(options.maxAnswerLength, "maxAnswerLength", 1);
  const maxSeqLength =
    options.maxSeqLength === undefined
      ? Math.min(384, modelMax)
      : checkInteger(options.maxSeqLength, "maxSeqLength", 4, modelMax, `the model takes at most ${modelMax} tokens`);
  const docStride =
    options.docStride === undefined
      ? Math.min(Math.floor(maxSeqLength / 2), 128)
      : checkInteger(options.docStride, "docStride", 0, maxSeqLength - 1, "the stride must be smaller than maxSeqLength");
  return {
    topK,
    asArray: options.topK !== undefined && options.topK !== 1,
    maxAnswerLength,
    maxSeqLength,
    docStride,
    handleImpossibleAnswer: options.handleImpossibleAnswer ?? false,
    alignToWords: options.alignToWords ?? true,
  };
}
