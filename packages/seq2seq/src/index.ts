export { translate, translateStream } from "./translate/translate.js";
export { createTranslator, type Translator } from "./translate/translator.js";
export type { TranslateCallOptions, TranslateOptions, Translation } from "./translate/types.js";
export type { TaskPair, TranslationScheme } from "./translate/scheme.js";
export { codeLanguage, languageKeys, matchLanguage, sameLanguage } from "./translate/languages.js";

export { summarize, summarizeStream } from "./summarize/summarize.js";
export { createSummarizer, type Summarizer } from "./summarize/summarizer.js";
export type { ChunkEvent, SummarizeCallOptions, SummarizeOptions, Summary } from "./summarize/types.js";
export { splitSentences } from "./summarize/sentences.js";

export type { ModelChoice, Seq2SeqCallOptions, Seq2SeqResult } from "./shared/options.js";
export { TextStream, type TextChunk } from "./shared/text-stream.js";
export { DEFAULT_SUMMARIZATION_MODEL, DEFAULT_TRANSLATION_MODEL, defaultTranslationModel, MARIAN_EN_DE_MODEL } from "./shared/defaults.js";
export { disposeCachedSeq2Seq, type Seq2SeqTask } from "./shared/handles.js";
export type { FinishReason, GeneratedSequence, GenerationMetrics, TokenEvent } from "@proj/core";
