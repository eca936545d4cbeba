import { DECODING_OPTION_NAMES, optionNames, TASK_OPTION_NAMES } from "@proj/core/internal";
import type { SummarizeCallOptions } from "../summarize/types.js";
import type { TranslateCallOptions } from "../translate/types.js";
import type { Seq2SeqCallOptions, Seq2SeqHandleOptions } from "./options.js";

const CALL_OWN = optionNames<Omit<Seq2SeqCallOptions, (typeof DECODING_OPTION_NAMES)[number]>>()(["onToken", "batchSize"]);
const TRANSLATE_OWN = optionNames<Omit<TranslateCallOptions, keyof Seq2SeqCallOptions>>()(["from", "to"]);
const SUMMARIZE_OWN = optionNames<Omit<SummarizeCallOptions, keyof Seq2SeqCallOptions>>()(["chunking", "maxInputTokens", "onChunk"]);

/** Option names of a text-to-text handle's calls. @internal */
export const SEQ2SEQ_CALL_OPTION_NAMES: readonly string[] = [...DECODING_OPTION_NAMES, ...CALL_OWN];
/** Option names of a translator's calls. @internal */
export const TRANSLATE_CALL_OPTION_NAMES: readonly string[] = [...SEQ2SEQ_CALL_OPTION_NAMES, ...TRANSLATE_OWN];
/** Option names of a summarizer's calls. @internal */
export const SUMMARIZE_CALL_OPTION_NAMES: readonly string[] = [...SEQ2SEQ_CALL_OPTION_NAMES, ...SUMMARIZE_OWN];
/** Option names of `text2text()`. @internal */
export const TEXT2TEXT_OPTION_NAMES: readonly string[] = [...TASK_OPTION_NAMES, ...SEQ2SEQ_CALL_OPTION_NAMES];
/** Option names of `translate()`. @internal */
export const TRANSLATE_OPTION_NAMES: readonly string[] = [...TASK_OPTION_NAMES, ...TRANSLATE_CALL_OPTION_NAMES];
/** Option names of `summarize()`. @internal */
export const SUMMARIZE_OPTION_NAMES: readonly string[] = [...TASK_OPTION_NAMES, ...SUMMARIZE_CALL_OPTION_NAMES];
/** Option names of the handle factories. @internal */
export const HANDLE_OPTION_NAMES = optionNames<Seq2SeqHandleOptions>()(["load", "signal", "batching"]);
