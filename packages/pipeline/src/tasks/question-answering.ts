import { type Answer, type AnswerCallOptions, createQuestionAnswerer, type QuestionAnswerer, type QuestionContext } from "@proj/encoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * An extractive question-answering pipeline: call it with `{ question, context }` for the answer span.
 * With `topK` above 1 it returns that many answers, best first.
 *
 * @example
 * const qa = await pipeline("question-answering");
 * const { answer, start, end } = await qa({ question: "Where is the tower?", context: "The tower is in Paris." });
 * const top3 = await qa({ question, context }, { topK: 3 }); // Answer[]
 */
export interface QuestionAnsweringPipeline extends PipelineBase<"question-answering", QuestionAnswerer> {
  /** The best answer to one question. */
  (input: QuestionContext, options?: AnswerCallOptions & { topK?: 1 }): Promise<Answer>;
  /** The best `topK` answers to one question, best first. */
  (input: QuestionContext, options: AnswerCallOptions & { topK: number }): Promise<Answer[]>;
  /** The best answer to each question, in input order. */
  (inputs: QuestionContext[], options?: AnswerCallOptions & { topK?: 1 }): Promise<Answer[]>;
  /** The best `topK` answers to each question. */
  (inputs: QuestionContext[], options: AnswerCallOptions & { topK: number }): Promise<Answer[][]>;
}

/**
 * Builds a {@link QuestionAnsweringPipeline} with `@proj/encoder`'s `createQuestionAnswerer`.
 *
 * @internal
 */
export async function questionAnsweringPipeline(context: FactoryContext): Promise<QuestionAnsweringPipeline> {
  const handle = await createQuestionAnswerer(context.modelId, context.create);
  const call = (input: QuestionContext | QuestionContext[], options?: AnswerCallOptions) =>
    handle.answer(input as QuestionContext, options as AnswerCallOptions & { topK: number });
  return callable<QuestionAnsweringPipeline>(call, baseOf(context, handle));
}
