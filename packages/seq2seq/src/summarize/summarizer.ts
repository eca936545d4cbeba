import { DisposedError, TextStream } from "@proj/core";
import { chainTokenCallbacks, checkLoadOptions, checkOptions } from "@proj/core/internal";
import { DEFAULT_SUMMARIZATION_MODEL } from "../shared/defaults.js";
import { seq2seqEngine } from "../shared/engine.js";
import { openSeq2SeqModel } from "../shared/open-model.js";
import { HANDLE_OPTION_NAMES, SUMMARIZE_CALL_OPTION_NAMES } from "../shared/option-names.js";
import type { Seq2SeqHandleOptions } from "../shared/options.js";
import { taskSettings } from "../shared/task-config.js";
import { SUMMARIZE_TASK } from "../shared/tasks.js";
import { encoderWindow } from "../shared/window.js";
import { summarizeTexts } from "./run-summary.js";
import type { SummarizationModel } from "./summarization-model.js";
import type { SummarizeCallOptions, Summarizer, Summary } from "./types.js";

/**
 * Loads an encoder-decoder summarization model (BART, DistilBART, PEGASUS, T5 with its `"summarize: "` prefix) once
 * for many calls. Refuses other model families.
 *
 * @example
 * const summarizer = await createSummarizer("Xenova/distilbart-cnn-6-6", { load: { threads: 2 } });
 * const { text, chunks } = await summarizer.summarize(longArticle, { maxNewTokens: 100 });
 * await summarizer.dispose();
 */
export async function createSummarizer(model?: string, options?: Seq2SeqHandleOptions): Promise<Summarizer> {
  const { load, signal, batching } = checkOptions(options, "createSummarizer()", HANDLE_OPTION_NAMES);
  const loadOptions = checkLoadOptions(load, "createSummarizer");
  const loaded = await openSeq2SeqModel(
    model ?? DEFAULT_SUMMARIZATION_MODEL,
    { ...loadOptions, ...(signal ? { signal } : {}) },
    SUMMARIZE_TASK,
  );
  let state: SummarizationModel;
  try {
    const settings = taskSettings(loaded, "summarization");
    state = {
      engine: seq2seqEngine(loaded, batching),
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
  async function summarize(input: string | string[], options?: SummarizeCallOptions): Promise<Summary | Summary[]> {
    check();
    const call = checkOptions(options, "summarize()", SUMMARIZE_CALL_OPTION_NAMES);
    const results = await summarizeTexts(state, input, call);
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
    stream(text, options) {
      const call = checkOptions(options, "summarizeStream()", SUMMARIZE_CALL_OPTION_NAMES);
      return new TextStream(async (onToken) => {
        check();
        const [result] = await summarizeTexts(state, text, { ...call, onToken: chainTokenCallbacks(call.onToken, onToken) });
        return result as Summary;
      });
    },
    batchStats: () => ({ running: state.engine.batcher.running, queued: state.engine.batcher.queued }),
    dispose: () => loaded.dispose(),
  };
}
