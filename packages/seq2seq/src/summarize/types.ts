import type { GenerationResult, LoadedModel, TaskOptions, TextStream } from "@proj/core";
import type { Seq2SeqCallOptions } from "../shared/options.js";

/**
 * A chunk of a long document and its summary, reported as soon as it is summarised.
 *
 * @example
 * await summarize(book, { onChunk: (e) => console.log(`chunk ${e.index + 1}/${e.count}: ${e.summary}`) });
 */
export interface ChunkEvent {
  /** Index of the document among the call's texts. */
  input: number;
  /** 0 for chunks of the document; 1, 2 ... when the joined chunk summaries were themselves too long and were chunked again. */
  level: number;
  /** Index of the chunk at this level. */
  index: number;
  /** Number of chunks at this level. */
  count: number;
  /** The chunk's text (whole sentences where possible). */
  text: string;
  /** Its summary. */
  summary: string;
}

/**
 * Per-call options of a {@link Summarizer}: decoding options (`maxNewTokens`, `minNewTokens`, `numBeams`,
 * `lengthPenalty`, `noRepeatNgramSize` ...) over the model's `generation_config.json` and its
 * `task_specific_params.summarization`, plus how long documents are handled.
 *
 * @example
 * await summarizer.summarize(article, { numBeams: 4, maxNewTokens: 120, onChunk: (c) => console.log(c.index, "/", c.count) });
 */
export interface SummarizeCallOptions extends Seq2SeqCallOptions {
  /**
   * What to do with a text longer than the encoder's window: `true` cuts it into chunks on sentence boundaries,
   * summarises each, then summarises the joined summaries (never a silent cut); `false` throws an `InputError`.
   * @defaultValue true
   */
  chunking?: boolean;
  /** Longest input given to the encoder at once, in tokens (at most the model's window). @defaultValue the model's window */
  maxInputTokens?: number;
  /** Called for each chunk of a long document once it is summarised (progress, or showing partial summaries). */
  onChunk?: (event: ChunkEvent) => void;
}

/**
 * Options of {@link summarize}: per-call options plus the model to use, how to load it, and a signal.
 *
 * @example
 * await summarize(article, { model: "Xenova/distilbart-cnn-6-6", maxNewTokens: 80 });
 */
export interface SummarizeOptions extends SummarizeCallOptions, TaskOptions<Summarizer> {}

/**
 * The summary of one text.
 *
 * @example
 * const { text, chunks } = await summarize(longReport); // chunks > 1 when it was summarised by parts
 */
export interface Summary extends GenerationResult {
  /** Chunks the text was cut into (1 when it fit the encoder window). */
  chunks: number;
  /** Summaries of those chunks, in order (empty when the text fit). */
  chunkSummaries: string[];
  /** Rounds of chunking: 0 when the text fit, 1 when the chunk summaries fit together, more for very long texts. */
  levels: number;
}

/**
 * A loaded summarization model, reused across calls. Free it with {@link Summarizer.dispose}. Concurrent calls decode
 * together (continuous batching) unless they use beam search.
 *
 * @example
 * const summarizer = await createSummarizer();
 * const [a, b] = await summarizer.summarize([articleA, articleB], { maxNewTokens: 80 });
 */
export interface Summarizer {
  /** The task this handle serves. */
  readonly task: "summarize";
  /** The loaded model (configs, tokenizer, sessions). */
  readonly model: LoadedModel;
  /** Text put before every input (T5's `"summarize: "`), or `""`. */
  readonly prefix: string;
  /** Longest input the encoder reads, in tokens; longer texts are summarised by chunks. */
  readonly maxInputTokens: number;
  /** True once disposed. */
  readonly disposed: boolean;
  /** Summarises one text (by chunks when it is longer than the window). */
  summarize(text: string, options?: SummarizeCallOptions): Promise<Summary>;
  /** Summarises several texts, in batches. */
  summarize(texts: string[], options?: SummarizeCallOptions): Promise<Summary[]>;
  /** Streams the summary of one text as text deltas (in one piece with beam search). */
  stream(text: string, options?: SummarizeCallOptions): TextStream<Summary>;
  /** Sequences decoding now and requests waiting to join them (continuous batching of concurrent calls). */
  batchStats(): { running: number; queued: number };
  /** Releases the model's sessions. */
  dispose(): Promise<void>;
}
