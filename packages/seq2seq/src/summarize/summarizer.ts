import { DisposedError, type LoadedModel, type LoadModelOptions, type ModelSpec } from "@proj/core";
import { Seq2SeqRunner } from "@proj/core/internal";
import { DEFAULT_SUMMARIZATION_MODEL } from "../shared/defaults.js";
import { checkOptions } from "../shared/check-input.js";
import { openSeq2SeqModel } from "../shared/open-model.js";
import { taskSettings } from "../shared/task-config.js";
import { SUMMARIZE_TASK } from "../shared/tasks.js";
import { chain, TextStream } from "../shared/text-stream.js";
import { encoderWindow } from "../shared/window.js";
import { type SummarizationModel, summarizeTexts } from "./run-summary.js";
import type { SummarizeCallOptions, Summary } from "./types.js";

/**
 * A loaded summarization model, reused across calls. Free it with {@link Summarizer.dispose}.
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
  /** Releases the model's sessions. */
  dispose(): Promise<void>;
}

/**
 * Loads an encoder-decoder summarization model (BART, DistilBART, PEGASUS, T5 with its `"summarize: "` prefix) once
 * for many calls. Refuses other model families.
 *
 * @example
 * const summarizer = await createSummarizer("Xenova/distilbart-cnn-6-6");
 * const { text, chunks } = await summarizer.summarize(longArticle, { maxNewTokens: 100 });
 * await summarizer.dispose();
 */
export async function createSummarizer(
  model: ModelSpec = DEFAULT_SUMMARIZATION_MODEL,
  options: LoadModelOptions = {},
): Promise<Summarizer> {
  checkOptions(options, "createSummarizer");
  const loaded = await openSeq2SeqModel(model, options, SUMMARIZE_TASK);
  let state: SummarizationModel;
  try {
    const settings = taskSettings(loaded, "summarization");
    state = {
      model: loaded,
      runner: Seq2SeqRunner.fromModel(loaded),
      window: encoderWindow(loaded),
      prefix: settings.prefix,
      generationConfig: settings.generationConfig,
    };
  } catch (error) {
    await loaded.dispose(); // graphs the runner cannot drive: free their sessions before reporting why
    throw error;
  }
  const check = (): void => {
    if (loaded.disposed) throw new DisposedError(`The summarizer for ${loaded.source.label}`);
  };
  async function summarize(text: string, options?: SummarizeCallOptions): Promise<Summary>;
  async function summarize(texts: string[], options?: SummarizeCallOptions): Promise<Summary[]>;
  async function summarize(input: string | string[], options: SummarizeCallOptions = {}): Promise<Summary | Summary[]> {
    check();
    const results = await summarizeTexts(state, input, options);
    return Array.isArray(input) ? results : (results[0] as Summary);
  }
  return {
    task: "summarize",
    model: loaded,
    prefix: state.prefix,
    maxInputTokens: state.window,
    get disposed() {
      return loaded.disposed;
    },
    summarize,
    stream(text, options = {}) {
      checkOptions(options, "summarizeStream");
      return new TextStream(async (onToken) => {
        check();
        const [result] = await summarizeTexts(state, text, { ...options, onToken: chain(options.onToken, onToken) });
        return result as Summary;
      });
    },
    dispose: () => loaded.dispose(),
  };
}
