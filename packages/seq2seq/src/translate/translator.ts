import { DisposedError, type LoadedModel, type LoadModelOptions, type ModelSpec } from "@proj/core";
import { Seq2SeqRunner } from "@proj/core/internal";
import { defaultTranslationModel } from "../shared/defaults.js";
import { checkOptions } from "../shared/check-input.js";
import { openSeq2SeqModel } from "../shared/open-model.js";
import { TRANSLATE_TASK } from "../shared/tasks.js";
import { chain, TextStream } from "../shared/text-stream.js";
import { encoderWindow } from "../shared/window.js";
import { type TranslationModel, translateTexts } from "./run-translation.js";
import { detectScheme, schemeSourceOf, type TranslationScheme } from "./scheme.js";
import type { Translation, TranslateCallOptions } from "./types.js";

/**
 * A loaded translation model, reused across calls. Free it with {@link Translator.dispose}.
 *
 * @example
 * const translator = await createTranslator("Xenova/opus-mt-en-de");
 * for await (const { text } of translator.stream("A long paragraph ...", { numBeams: 1 })) process.stdout.write(text);
 */
export interface Translator {
  /** The task this handle serves. */
  readonly task: "translate";
  /** The loaded model (configs, tokenizer, sessions). */
  readonly model: LoadedModel;
  /** How the model selects languages, and which it knows. */
  readonly scheme: TranslationScheme;
  /** Longest input the encoder reads, in tokens. */
  readonly maxInputTokens: number;
  /** True once disposed. */
  readonly disposed: boolean;
  /** Translates one text. */
  translate(text: string, options?: TranslateCallOptions): Promise<Translation>;
  /** Translates several texts, in batches. */
  translate(texts: string[], options?: TranslateCallOptions): Promise<Translation[]>;
  /** Streams the translation of one text as text deltas (in one piece with beam search). */
  stream(text: string, options?: TranslateCallOptions): TextStream<Translation>;
  /** Releases the model's sessions. */
  dispose(): Promise<void>;
}

/**
 * Loads an encoder-decoder translation model once for many calls: T5 (task prefixes from its config), Marian
 * (`opus-mt-*`), or multilingual mBART-50 / NLLB / M2M100 (language tokens). Refuses other model families.
 * Without `model`, the English-to-German caption translator embedded in `@proj/models` (offline).
 *
 * @example
 * const translator = await createTranslator("Xenova/opus-mt-en-de", { threads: 2 });
 * const { text } = await translator.translate("A man is riding a bicycle.");
 * const many = await translator.translate(["One.", "Two."], { numBeams: 1 });
 * await translator.dispose();
 */
export async function createTranslator(
  model: ModelSpec = defaultTranslationModel({}),
  options: LoadModelOptions = {},
): Promise<Translator> {
  checkOptions(options, "createTranslator");
  const loaded = await openSeq2SeqModel(model, options, TRANSLATE_TASK);
  let state: TranslationModel;
  try {
    state = {
      model: loaded,
      runner: Seq2SeqRunner.fromModel(loaded),
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
  async function translate(input: string | string[], options: TranslateCallOptions = {}): Promise<Translation | Translation[]> {
    check();
    const results = await translateTexts(state, input, options);
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
    stream(text, options = {}) {
      checkOptions(options, "translateStream");
      return new TextStream(async (onToken) => {
        check();
        const [result] = await translateTexts(state, text, { ...options, onToken: chain(options.onToken, onToken) });
        return result as Translation;
      });
    },
    dispose: () => loaded.dispose(),
  };
}
