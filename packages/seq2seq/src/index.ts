export { translate, translateStream } from "./translate/translate.js";
export { createTranslator } from "./translate/translator.js";
export type { TranslateCallOptions, TranslateOptions, Translation, Translator } from "./translate/types.js";
export type { TaskPair, TranslationScheme } from "./translate/scheme.js";
export { codeLanguage, languageKeys, matchLanguage, sameLanguage } from "./translate/languages.js";

export { summarize, summarizeStream } from "./summarize/summarize.js";
export { createSummarizer } from "./summarize/summarizer.js";
export type { ChunkEvent, SummarizeCallOptions, SummarizeOptions, Summarizer, Summary } from "./summarize/types.js";
export { splitSentences } from "./summarize/sentences.js";

export { createText2Text, DEFAULT_TEXT2TEXT_MODEL, text2text, text2textStream } from "./text2text/text2text.js";
export type { Text2Text, Text2TextOptions } from "./text2text/types.js";

export type { Seq2SeqCallOptions, Seq2SeqHandleOptions } from "./shared/options.js";
export { DEFAULT_SUMMARIZATION_MODEL, DEFAULT_TRANSLATION_MODEL, defaultTranslationModel, MARIAN_EN_DE_MODEL } from "./shared/defaults.js";
export type { Seq2SeqTask } from "./shared/handles.js";
export {
  disposeCachedHandles,
  type FinishReason,
  type GeneratedSequence,
  type GenerationMetrics,
  type GenerationResult,
  type TextChunk,
  TextStream,
  type TokenEvent,
} from "@proj/core";
