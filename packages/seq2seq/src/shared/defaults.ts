import { embeddedModelOr } from "@proj/models";
import { sameLanguage } from "../translate/languages.js";

/**
 * Hub model {@link translate} uses when no `model` is given and the pair is not the embedded model's (English to
 * German), or that model is not installed: T5-small, which translates English to German, French and Romanian (say
 * which with `to`). For one language pair, a Marian model such as `"Xenova/opus-mt-en-de"` is smaller and better;
 * for many languages, an NLLB or mBART-50 export.
 *
 * @example
 * await translate("Hello", { to: "fr" }); // uses DEFAULT_TRANSLATION_MODEL
 */
export const DEFAULT_TRANSLATION_MODEL = "Xenova/t5-small";

/**
 * The model {@link translate} loads when no `model` is given: for English to German (the default pair when `from`
 * and `to` are omitted) the small caption translator embedded in `@proj/models` (trained here, works offline), when
 * installed; for any other pair {@link DEFAULT_TRANSLATION_MODEL}.
 *
 * @example
 * defaultTranslationModel({});                        // ".../node_modules/@proj/models/models/translation-en-de"
 * defaultTranslationModel({ from: "en", to: "fr" }); // "Xenova/t5-small"
 */
export function defaultTranslationModel(pair: { from?: string | undefined; to?: string | undefined }): string {
  const embedded = sameLanguage(pair.from ?? "en", "en") && sameLanguage(pair.to ?? "de", "de");
  return embedded ? embeddedModelOr("translation-en-de", DEFAULT_TRANSLATION_MODEL) : DEFAULT_TRANSLATION_MODEL;
}

/**
 * Hub model {@link summarize} uses when no `model` is given: DistilBART fine-tuned on CNN/DailyMail news.
 *
 * @example
 * await summarize(article); // uses DEFAULT_SUMMARIZATION_MODEL
 */
export const DEFAULT_SUMMARIZATION_MODEL = "Xenova/distilbart-cnn-6-6";

/**
 * A Marian English-to-German model, ready for ONNX Runtime: one pair, small and fast.
 *
 * @example
 * await translate("A dog runs.", { model: MARIAN_EN_DE_MODEL });
 */
export const MARIAN_EN_DE_MODEL = "Xenova/opus-mt-en-de";
