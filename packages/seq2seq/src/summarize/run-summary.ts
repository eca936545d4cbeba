import { type GeneratedSequence, InputError } from "@proj/core";
import { generatedTokens, MetricsRecorder, toResults } from "@proj/core/internal";
import { checkTexts } from "../shared/check-input.js";
import { decodeInputs } from "../shared/engine.js";
import { type DocumentSummary, summarizeDocument } from "./long-document.js";
import type { SummarizationModel } from "./summarization-model.js";
import type { SummarizeCallOptions, Summary } from "./types.js";

/**
 * Summarises texts: those that fit the window in batches, longer ones by chunks (or an {@link InputError} with
 * `chunking: false`, raised before any generation).
 *
 * @internal
 */
export async function summarizeTexts(s: SummarizationModel, input: unknown, options: SummarizeCallOptions): Promise<Summary[]> {
  const texts = checkTexts(input, "summarize");
  const window = inputWindow(options.maxInputTokens, s.window, s.engine.model.source.label);
  const chunking = options.chunking ?? true;
  const metrics = new MetricsRecorder();
  const encoded = (await s.engine.model.tokenizer.encodeBatch(texts.map((t) => s.prefix + t))).map((e) => e.ids);
  const long = encoded.map((ids, i) => (ids.length > window ? i : -1)).filter((i) => i >= 0);
  if (!chunking && long.length) {
    const i = long[0] as number;
    throw new InputError(
      `${texts.length > 1 ? `texts[${i}]` : "The text"} is ${encoded[i]?.length} tokens long, more than the ${window} that ${s.engine.model.source.label} reads, and chunking is off`,
      { hint: "pass { chunking: true } to summarise it by parts, or shorten it" },
    );
  }
  metrics.tokenized();
  const fits = encoded.map((_, i) => i).filter((i) => !long.includes(i));
  const sequences: GeneratedSequence[][] = new Array(texts.length);
  const documents = new Map<number, DocumentSummary>();
  let promptTokens = fits.reduce((n, i) => n + (encoded[i]?.length ?? 0), 0);
  if (fits.length) {
    const { onToken, onChunk: _onChunk, chunking: _chunking, maxInputTokens: _max, ...call } = options;
    const out = await decodeInputs(
      s.engine,
      fits.map((i) => encoded[i] as number[]),
      s.generationConfig,
      onToken ? { ...call, onToken: (e) => onToken({ ...e, input: fits[e.input] as number }) } : call,
      metrics,
    );
    fits.forEach((i, k) => {
      sequences[i] = out[k] ?? [];
    });
  }
  for (const i of long) {
    const doc = await summarizeDocument(s, texts[i] as string, encoded[i]?.length ?? 0, i, window, options, metrics);
    documents.set(i, doc);
    sequences[i] = doc.sequences;
    promptTokens += doc.promptTokens;
  }
  const results = toResults(sequences, metrics.finish(promptTokens, generatedTokens(sequences)));
  return results.map((r, i) => {
    const doc = documents.get(i);
    return { ...r, chunks: doc?.chunks ?? 1, chunkSummaries: doc?.chunkSummaries ?? [], levels: doc?.levels ?? 0 };
  });
}

function inputWindow(value: number | undefined, window: number, label: string): number {
  if (value === undefined) return window;
  if (!Number.isInteger(value) || value < 16 || value > window) {
    throw new InputError(`maxInputTokens must be an integer in [16, ${window}] for ${label}, got ${String(value)}`, {
      hint: `${label} reads at most ${window} tokens; omit maxInputTokens to use all of them`,
    });
  }
  return value;
}
