import type { TaskInfo } from "./open-model.js";

/** @internal */
export const TRANSLATE_TASK: TaskInfo = { fn: "translate", what: "translation", example: "Xenova/opus-mt-en-de" };

/** @internal */
export const SUMMARIZE_TASK: TaskInfo = { fn: "summarize", what: "summarization", example: "Xenova/distilbart-cnn-6-6" };
