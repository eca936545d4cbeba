import { defaultModelOf } from "@proj/chooser";
import { defaultModelPath } from "@proj/models";

/** The encoder tasks that have a default model. */
export type EncoderDefaultTask =
  | "text-classification"
  | "token-classification"
  | "question-answering"
  | "fill-mask"
  | "feature-extraction"
  | "text-ranking"
  | "zero-shot-classification";

/**
 * The model an encoder task loads when the caller gives none, by the chooser's one rule (`defaultModelOf`): the
 * embedded model of `@proj/models` when the task has one and this install ships it (offline), else the task's Hub
 * model.
 *
 * @example
 * defaultModel("text-classification"); // ".../node_modules/@proj/models/models/sentiment"
 * defaultModel("question-answering");  // "Xenova/distilbert-base-cased-distilled-squad"
 */
export function defaultModel(task: EncoderDefaultTask): string {
  return defaultModelPath(defaultModelOf(task));
}
