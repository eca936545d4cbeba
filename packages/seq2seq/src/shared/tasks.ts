import type { TaskInfo } from "./open-model.js";

/** @internal */
export const TRANSLATE_TASK: TaskInfo = { fn: "translate", what: "translation", example: "Xenova/opus-mt-en-de" };

/** @internal */
export const SUMMARIZE_TASK: TaskInfo = { fn: "summarize", what: "summarization", example: "Xenova/distilbart-cnn-6-6" };

/** @internal */
export const TEXT2TEXT_TASK: TaskInfo = { fn: "text2text", what: "text-to-text generation", example: "Xenova/flan-t5-small" };
