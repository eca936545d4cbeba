import { checkOptions } from "@proj/core/internal";
import { DEFAULT_SUMMARIZATION_MODEL } from "../shared/defaults.js";
import { openHandle } from "../shared/open-handle.js";
import { SUMMARIZE_CALL_OPTION_NAMES } from "../shared/option-names.js";
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
  const handle = await openHandle(
    "createSummarizer",
    model ?? DEFAULT_SUMMARIZATION_MODEL,
    options,
    SUMMARIZE_TASK,
    "summarizer",
    (loaded) => {
      const settings = taskSettings(loaded, "summarization");
      return { window: encoderWindow(loaded), prefix: settings.prefix, generationConfig: settings.generationConfig };
    },
  );
  const { loaded, engine, check } = handle;
  const state: SummarizationModel = { engine, ...handle.state };
  async function summarize(text: string, options?: SummarizeCallOptions): Promise<Summary>;
  async function summarize(texts: string[], options?: SummarizeCallOptions): Promise<Summary[]>;
  async function summarize(input: string | string[], options?: SummarizeCallOptions): Promise<Summary | Summary[]> {
    check();
    const results = await summarizeTexts(state, input, checkOptions(options, "summarize()", SUMMARIZE_CALL_OPTION_NAMES));
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
    stream: (text, options) =>
      handle.stream(options, "summarizeStream()", SUMMARIZE_CALL_OPTION_NAMES, async (call) => {
        const [result] = await summarizeTexts(state, text, call);
        return result as Summary;
      }),
    batchStats: handle.batchStats,
    dispose: () => loaded.dispose(),
  };
}
