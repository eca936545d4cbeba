import { checkOptions } from "@proj/core/internal";
import { defaultTranslationModel } from "../shared/defaults.js";
import { openHandle } from "../shared/open-handle.js";
import { TRANSLATE_CALL_OPTION_NAMES } from "../shared/option-names.js";
import type { Seq2SeqHandleOptions } from "../shared/options.js";
import { TRANSLATE_TASK } from "../shared/tasks.js";
import { encoderWindow } from "../shared/window.js";
import { translateTexts } from "./run-translation.js";
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
  const handle = await openHandle(
    "createTranslator",
    model ?? defaultTranslationModel({}),
    options,
    TRANSLATE_TASK,
    "translator",
    (loaded) => ({
      scheme: detectScheme(schemeSourceOf(loaded)),
      window: encoderWindow(loaded),
    }),
  );
  const { loaded, engine, state, check } = handle;
  const translation = { engine, ...state };
  async function translate(text: string, options?: TranslateCallOptions): Promise<Translation>;
  async function translate(texts: string[], options?: TranslateCallOptions): Promise<Translation[]>;
  async function translate(input: string | string[], options?: TranslateCallOptions): Promise<Translation | Translation[]> {
    check();
    const results = await translateTexts(translation, input, checkOptions(options, "translate()", TRANSLATE_CALL_OPTION_NAMES));
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
    stream: (text, options) =>
      handle.stream(options, "translateStream()", TRANSLATE_CALL_OPTION_NAMES, async (call) => {
        const [result] = await translateTexts(translation, text, call);
        return result as Translation;
      }),
    batchStats: handle.batchStats,
    dispose: () => loaded.dispose(),
  };
}
