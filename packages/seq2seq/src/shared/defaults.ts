import { DEFAULT_MODELS, defaultModelOf } from "@proj/chooser";
import { defaultModelPath } from "@proj/models";
import { checkLanguageOptions } from "../translate/resolve-pair.js";

/**
 * Hub model {@link translate} uses when no `model` is given and the pair is not the embedded model's (English to
 * German), or that model is not installed: T5-small, which translates English to German, French and Romanian (say
 * which with `to`). For one language pair, a Marian model such as `"Xenova/opus-mt-en-de"` is smaller and better;
 * for many languages, an NLLB or mBART-50 export. From the chooser's task table.
 *
 * @example
 * await translate("Hello", { to: "fr" }); // uses DEFAULT_TRANSLATION_MODEL
 */
export const DEFAULT_TRANSLATION_MODEL: string = DEFAULT_MODELS.translation;

/**
 * The model {@link translate}, `createTranslator()` and `pipeline("translation")` load when no `model` is given,
 * by the chooser's one rule (`defaultModelOf`): for English to German (also the pair when `from` and `to` are
 * omitted; names and codes alike: `"English"`, `"en"`, `"eng_Latn"`) the small caption translator embedded in
 * `@proj/models` (trained here, works offline), when installed; for any other pair {@link DEFAULT_TRANSLATION_MODEL}.
 * Throws an `InputError` when `from` or `to` is not a string.
 *
 * @example
 * defaultTranslationModel({});                                // ".../node_modules/@proj/models/models/translation-en-de"
 * defaultTranslationModel({ from: "English", to: "German" }); // the same
 * defaultTranslationModel({ from: "en", to: "fr" });          // "Xenova/t5-small"
 */
export function defaultTranslationModel(pair: { from?: string | undefined; to?: string | undefined }): string {
  return defaultModelPath(defaultModelOf("translation", checkLanguageOptions(pair)));
}

/**
 * Hub model {@link summarize} uses when no `model` is given: DistilBART fine-tuned on CNN/DailyMail news. From the
 * chooser's task table.
 *
 * @example
 * await summarize(article); // uses DEFAULT_SUMMARIZATION_MODEL
 */
export const DEFAULT_SUMMARIZATION_MODEL: string = DEFAULT_MODELS.summarization;

/**
 * A Marian English-to-German model, ready for ONNX Runtime: one pair, small and fast.
 *
 * @example
 * await translate("A dog runs.", { model: MARIAN_EN_DE_MODEL });
 */
export const MARIAN_EN_DE_MODEL = "Xenova/opus-mt-en-de";
