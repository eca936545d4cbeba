import { TextStream } from "@proj/core";
import { chainTokenCallbacks, checkOptions, type HandleCache } from "@proj/core/internal";
import { defaultTranslationModel } from "../shared/defaults.js";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { TRANSLATE_OPTION_NAMES } from "../shared/option-names.js";
import { createTranslator } from "./translator.js";
import type { TranslateOptions, Translation, Translator } from "./types.js";

const translators: HandleCache<Translator> = taskCache<Translator>();

function translatorFor(options: TranslateOptions): Promise<Translator> {
  return resolveHandle(
    options.model,
    options.load,
    "translate",
    defaultTranslationModel(options),
    translators,
    (id, load) => createTranslator(id, { load }),
    options.signal,
  );
}

/**
 * Translates text with an encoder-decoder model (loaded once and cached). Without `model`, English to German uses
 * the small caption translator embedded in `@proj/models` (offline) and other pairs {@link DEFAULT_TRANSLATION_MODEL}
 * (see {@link defaultTranslationModel}). The embedded model knows one domain: image captions, short descriptions of
 * everyday scenes ("A man in a red shirt is riding a bike." -> "Ein Mann in einem roten Hemd fährt Fahrrad."); on
 * other text it fails ("The weather is nice today." -> "Das Wartart-Kunden."), so for general text pass a general
 * model such as `"Xenova/opus-mt-en-de"` ({@link MARIAN_EN_DE_MODEL}); `proj translate` says so on stderr when it uses
 * the embedded model. T5 models get their task prefix (`"translate English to German: "`), multilingual models their
 * language tokens, Marian models nothing. Beam search is used where the model's generation config says so.
 * Unknown options are refused with an `InputError` naming the nearest known one.
 *
 * @example
 * const { text } = await translate("A dog runs through the grass.", { model: "Xenova/opus-mt-en-de" });
 * const [a, b] = await translate(["A dog runs.", "Two children play."]); // embedded en->de model, offline
 * const fr = await translate("Hello", { to: "fr" }); // T5-small from the Hub
 * await translate("Bonjour", { model: "Xenova/nllb-200-distilled-600M", from: "fra_Latn", to: "English" });
 */
export async function translate(text: string, options?: TranslateOptions): Promise<Translation>;
export async function translate(texts: string[], options?: TranslateOptions): Promise<Translation[]>;
export async function translate(input: string | string[], options?: TranslateOptions): Promise<Translation | Translation[]> {
  const checked = checkOptions(options, "translate()", TRANSLATE_OPTION_NAMES);
  const translator = await translatorFor(checked);
  const { model: _model, load: _load, ...call } = checked;
  return Array.isArray(input) ? translator.translate(input, call) : translator.translate(input, call);
}

/**
 * Streams the translation of one text: iterate for text deltas, await `.result` for the whole {@link Translation}.
 *
 * @example
 * const s = translateStream("A long paragraph ...", { model: "Xenova/opus-mt-en-de", numBeams: 1 });
 * for await (const { text } of s) process.stdout.write(text);
 */
export function translateStream(text: string, options?: TranslateOptions): TextStream<Translation> {
  const checked = checkOptions(options, "translateStream()", TRANSLATE_OPTION_NAMES);
  const { model: _model, load: _load, ...call } = checked;
  return new TextStream(async (onToken) => {
    const translator = await translatorFor(checked);
    return translator.translate(text, { ...call, onToken: chainTokenCallbacks(call.onToken, onToken) });
  });
}
