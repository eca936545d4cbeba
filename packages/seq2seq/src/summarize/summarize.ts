import { TextStream } from "@proj/core";
import { chainTokenCallbacks, checkOptions, type HandleCache } from "@proj/core/internal";
import { DEFAULT_SUMMARIZATION_MODEL } from "../shared/defaults.js";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { SUMMARIZE_OPTION_NAMES } from "../shared/option-names.js";
import { createSummarizer } from "./summarizer.js";
import type { SummarizeOptions, Summarizer, Summary } from "./types.js";

const summarizers: HandleCache<Summarizer> = taskCache<Summarizer>();

function summarizerFor(options: SummarizeOptions): Promise<Summarizer> {
  return resolveHandle(
    options.model,
    options.load,
    "summarize",
    DEFAULT_SUMMARIZATION_MODEL,
    summarizers,
    (id, load) => createSummarizer(id, { load }),
    options.signal,
  );
}

/**
 * Summarises text with an encoder-decoder model (loaded once and cached; {@link DEFAULT_SUMMARIZATION_MODEL} when
 * `model` is omitted). Texts longer than the encoder's window are summarised by chunks cut on sentence boundaries,
 * then the chunk summaries are summarised: nothing is silently cut. Beam search is used where the model's
 * generation config says so. Unknown options are refused with an `InputError` naming the nearest known one.
 *
 * @example
 * const { text } = await summarize(article, { maxNewTokens: 80 });
 * const { text: short } = await summarize(report, { model: "Xenova/t5-small", numBeams: 1 }); // "summarize: " prefix added
 * await summarize(book, { chunking: false }); // InputError when longer than the window
 */
export async function summarize(text: string, options?: SummarizeOptions): Promise<Summary>;
export async function summarize(texts: string[], options?: SummarizeOptions): Promise<Summary[]>;
export async function summarize(input: string | string[], options?: SummarizeOptions): Promise<Summary | Summary[]> {
  const checked = checkOptions(options, "summarize()", SUMMARIZE_OPTION_NAMES);
  const summarizer = await summarizerFor(checked);
  const { model: _model, load: _load, ...call } = checked;
  return Array.isArray(input) ? summarizer.summarize(input, call) : summarizer.summarize(input, call);
}

/**
 * Streams the summary of one text: iterate for text deltas, await `.result` for the whole {@link Summary}.
 * For a long document only the final pass (over the chunk summaries) streams.
 *
 * @example
 * const s = summarizeStream(article, { numBeams: 1 });
 * for await (const { text } of s) process.stdout.write(text);
 */
export function summarizeStream(text: string, options?: SummarizeOptions): TextStream<Summary> {
  const checked = checkOptions(options, "summarizeStream()", SUMMARIZE_OPTION_NAMES);
  const { model: _model, load: _load, ...call } = checked;
  return new TextStream(async (onToken) => {
    const summarizer = await summarizerFor(checked);
    return summarizer.summarize(text, { ...call, onToken: chainTokenCallbacks(call.onToken, onToken) });
  });
}
