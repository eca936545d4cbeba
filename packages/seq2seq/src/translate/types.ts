import type { GenerationResult, LoadedModel, TaskOptions, TextStream } from "@proj/core";
import type { Seq2SeqCallOptions } from "../shared/options.js";
import type { TranslationScheme } from "./scheme.js";

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
 * Options of {@link translate}: per-call options plus the model to use, how to load it, and a signal.
 *
 * @example
 * await translate("Hello", { model: "Xenova/opus-mt-en-de", load: { threads: 2 }, maxNewTokens: 40 });
 */
export interface TranslateOptions extends TranslateCallOptions, TaskOptions<Translator> {}

/**
 * One translated text.
 *
 * @example
 * const { text, from, to } = await translate("Hello", { to: "de" }); // to: "de"
 */
export interface Translation extends GenerationResult {
  /** The source language, as the model spells it, when known. */
  from: string | undefined;
  /** The target language, as the model spells it, when known. */
  to: string | undefined;
}

/**
 * A loaded translation model, reused across calls. Free it with {@link Translator.dispose}. Concurrent calls decode
 * together (continuous batching) unless they use beam search.
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
  /** Sequences decoding now and requests waiting to join them (continuous batching of concurrent calls). */
  batchStats(): { running: number; queued: number };
  /** Releases the model's sessions. */
  dispose(): Promise<void>;
}
