/**
 * Hub model {@link translate} uses when no `model` is given: T5-small, which translates English to German,
 * French and Romanian (say which with `to`). For one language pair, a Marian model such as
 * `"Xenova/opus-mt-en-de"` is smaller and better; for many languages, an NLLB or mBART-50 export.
 *
 * @example
 * await translate("Hello", { to: "de" }); // uses DEFAULT_TRANSLATION_MODEL
 */
export const DEFAULT_TRANSLATION_MODEL = "Xenova/t5-small";

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
