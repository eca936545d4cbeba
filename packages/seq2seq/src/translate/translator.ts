import { DisposedError, TextStream } from "@proj/core";
import { chainTokenCallbacks, checkLoadOptions, checkOptions } from "@proj/core/internal";
import { defaultTranslationModel } from "../shared/defaults.js";
import { seq2seqEngine } from "../shared/engine.js";
import { openSeq2SeqModel } from "../shared/open-model.js";
import { HANDLE_OPTION_NAMES, TRANSLATE_CALL_OPTION_NAMES } from "../shared/option-names.js";
import type { Seq2SeqHandleOptions } from "../shared/options.js";
import { TRANSLATE_TASK } from "../shared/tasks.js";
import { encoderWindow } from "../shared/window.js";
import { type TranslationModel, translateTexts } from "./run-translation.js";
import { detectScheme, schemeSourceOf } from "./scheme.js";
import type { TranslateCallOptions, Translation, Translator } from "./types.js";

/**
 * Loads an encoder-decoder translation model once for many calls: T5 (task prefixes from its config), Marian
 * (`opus-mt-*`), or multilingual mBART-50 / NLLB / M2M100 (language tokens). Refuses other model families.
 * Without `model`, the English-to-German caption translator embedded in `@proj/models` (offline).
 *
 * @example
 * const translator = await createTranslator("Xenova/opus-mt-en-de", { load: { threads: 2 } });
 * const { text } = await translator.translate("A man is riding a bicycle.");
 * const many = await translator.translate(["One.", "Two."], { numBeams: 1 });
 * await translator.dispose();
 */
export async function createTranslator(model?: string, options?: Seq2SeqHandleOptions): Promise<Translator> {
  const { load, signal, batching } = checkOptions(options, "createTranslator()", HANDLE_OPTION_NAMES);
  const loadOptions = checkLoadOptions(load, "createTranslator");
  const loaded = await openSeq2SeqModel(
    model ?? defaultTranslationModel({}),
    { ...loadOptions, ...(signal ? { signal } : {}) },
    TRANSLATE_TASK,
  );
  let state: TranslationModel;
  try {
    state = {
      engine: seq2seqEngine(loaded, batching),
      scheme: detectScheme(schemeSourceOf(loaded)),
      window: encoderWindow(loaded),
    };
  } catch (error) {
    await loaded.dispose(); // graphs the runner cannot drive: free their sessions before reporting why
    throw error;
  }
  const check = (): void => {
    if (loaded.disposed) throw new DisposedError(`The translator for ${loaded.source.label}`);
  };
  async function translate(text: string, options?: TranslateCallOptions): Promise<Translation>;
  async function translate(texts: string[], options?: TranslateCallOptions): Promise<Translation[]>;
  async function translate(input: string | string[], options?: TranslateCallOptions): Promise<Translation | Translation[]> {
    check();
    const call = checkOptions(options, "translate()", TRANSLATE_CALL_OPTION_NAMES);
    const results = await translateTexts(state, input, call);
    return Array.isArray(input) ? results : (results[0] as Translation);
  }
  return {
    task: "translate",
    model: loaded,
    scheme: state.scheme,
    maxInputTokens: state.window,
    get disposed() {
      return loaded.disposed;
    },
    translate,
    stream(text, options) {
      const call = checkOptions(options, "translateStream()", TRANSLATE_CALL_OPTION_NAMES);
      return new TextStream(async (onToken) => {
        check();
        const [result] = await translateTexts(state, text, { ...call, onToken: chainTokenCallbacks(call.onToken, onToken) });
        return result as Translation;
      });
    },
    batchStats: () => ({ running: state.engine.batcher.running, queued: state.engine.batcher.queued }),
    dispose: () => loaded.dispose(),
  };
}
