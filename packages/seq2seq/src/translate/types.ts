import type { ModelChoice, Seq2SeqCallOptions, Seq2SeqResult } from "../shared/options.js";
import type { Translator } from "./translator.js";

/**
 * Per-call options of a {@link Translator}: the language pair, plus every decoding option.
 * Defaults come from the model's `generation_config.json` and, for T5, the pair's `task_specific_params`
 * (beam search where they say `num_beams > 1`).
 *
 * @example
 * await translator.translate("Good morning", { from: "en", to: "fr", numBeams: 4 });
 */
export interface TranslateCallOptions extends Seq2SeqCallOptions {
  /**
   * Source language: an ISO code (`"en"`, `"eng"`), an English name (`"English"`), or the model's own code
   * (`"en_XX"`, `"eng_Latn"`). @defaultValue the model's only source language, or its tokenizer's `src_lang`
   */
  from?: string;
  /** Target language, spelled like `from`. Needed when the model translates into several languages. */
  to?: string;
}

/**
 * Options of {@link translate}: per-call options plus the model to use.
 *
 * @example
 * await translate("Hello", { model: "Xenova/opus-mt-en-de", maxNewTokens: 40 });
 */
export interface TranslateOptions extends TranslateCallOptions, ModelChoice<Translator> {}

/**
 * One translated text.
 *
 * @example
 * const { text, from, to } = await translate("Hello", { to: "de" }); // to: "de"
 */
export interface Translation extends Seq2SeqResult {
  /** The source language, as the model spells it, when known. */
  from: string | undefined;
  /** The target language, as the model spells it, when known. */
  to: string | undefined;
}
