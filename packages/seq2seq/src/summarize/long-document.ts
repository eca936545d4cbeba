import { type GeneratedSequence, InputError } from "@proj/core";
import type { MetricsRecorder } from "@proj/core/internal";
import { decodeInputs } from "../shared/engine.js";
import { chunkText } from "./chunks.js";
import type { SummarizationModel } from "./summarization-model.js";
import type { SummarizeCallOptions } from "./types.js";

/** Most rounds of chunking before giving up (each round must shorten the text). */
const MAX_LEVELS = 6;

/** The outcome of summarising one long document. @internal */
export interface DocumentSummary {
  sequences: GeneratedSequence[];
  chunks: number;
  chunkSummaries: string[];
  levels: number;
  promptTokens: number;
}

/**
 * Summarises a text longer than the window: cut into chunks on sentence boundaries, summarise every chunk, join the
 * summaries and summarise that (chunking again while it is still too long). Only the final pass streams tokens.
 *
 * @internal
 */
export async function summarizeDocument(
  s: SummarizationModel,
  text: string,
  textTokens: number,
  input: number,
  window: number,
  options: SummarizeCallOptions,
  metrics: MetricsRecorder,
): Promise<DocumentSummary> {
  const { model } = s.engine;
  const { onToken, onChunk: _onChunk, chunking: _chunking, maxInputTokens: _max, ...quiet } = options;
  let current = text;
  let currentTokens = textTokens;
  let promptTokens = 0;
  let first: { chunks: number; summaries: string[] } | undefined;
  for (let level = 0; ; level++) {
    const chunks = await chunkText(model.tokenizer, current, s.prefix, window);
    const inputs = (await model.tokenizer.encodeBatch(chunks.map((c) => s.prefix + c))).map((e) => e.ids);
    promptTokens += inputs.reduce((n, ids) => n + ids.length, 0);
    const partial = await decodeInputs(s.engine, inputs, s.generationConfig, quiet, metrics);
    const summaries = partial.map((seqs) => seqs[0]?.text.trim() ?? "");
    summaries.forEach((summary, index) => {
      options.onChunk?.({ input, level, index, count: chunks.length, text: chunks[index] as string, summary });
    });
    first ??= { chunks: chunks.length, summaries };
    const joined = summaries.filter((t) => t !== "").join(" ");
    const ids = (await model.tokenizer.encode(s.prefix + joined)).ids;
    if (ids.length <= window) {
      const final = await decodeInputs(
        s.engine,
        [ids],
        s.generationConfig,
        onToken ? { ...quiet, onToken: (e) => onToken({ ...e, input }) } : quiet,
        metrics,
      );
      return {
        sequences: final[0] ?? [],
        chunks: first.chunks,
        chunkSummaries: first.summaries,
        levels: level + 1,
        promptTokens: promptTokens + ids.length,
      };
    }
    if (ids.length >= currentTokens || level + 1 >= MAX_LEVELS) {
      throw new InputError(
        `The ${chunks.length} chunk summaries of a long text are still ${ids.length} tokens, more than the ${window} the model reads`,
        {
          hint: "lower maxNewTokens so that each chunk's summary is shorter, or pass a larger maxInputTokens",
        },
      );
    }
    current = joined;
    currentTokens = ids.length;
  }
}
