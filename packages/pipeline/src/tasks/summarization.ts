import { createSummarizer, type SummarizeCallOptions, type Summarizer, type Summary, type TextStream } from "@proj/seq2seq";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * A summarization pipeline: call it with a document (or documents) for a summary; documents longer than the
 * encoder's window are summarised by chunks.
 *
 * @example
 * const summarize = await pipeline("summarization");
 * const { text, chunks } = await summarize(article, { maxNewTokens: 80 });
 */
export interface SummarizationPipeline extends PipelineBase<"summarization", Summarizer> {
  /** Summarises one text (by chunks when it is longer than the window). */
  (text: string, options?: SummarizeCallOptions): Promise<Summary>;
  /** Summarises several texts, in batches. */
  (texts: string[], options?: SummarizeCallOptions): Promise<Summary[]>;
  /** Streams the summary of one text as text deltas (in one piece with beam search). */
  stream(text: string, options?: SummarizeCallOptions): TextStream<Summary>;
}

/**
 * Builds a {@link SummarizationPipeline} with `@proj/seq2seq`'s `createSummarizer`.
 *
 * @internal
 */
export async function summarizationPipeline(context: FactoryContext): Promise<SummarizationPipeline> {
  const handle = await createSummarizer(context.modelId, context.create);
  const call = (input: string | string[], options?: SummarizeCallOptions) => handle.summarize(input as string, options);
  return callable<SummarizationPipeline>(call, baseOf(context, handle), {
    stream: (text: string, options?: SummarizeCallOptions) => handle.stream(text, options),
  });
}
