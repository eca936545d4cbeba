import type { CanonicalTask } from "../tasks/task-names.js";
import type { ModelShape } from "./model-shape.js";

const MULTILINGUAL_TRANSLATORS = new Set(["marian", "m2m_100", "nllb", "mbart"]);
const SUMMARIZERS = new Set(["bart", "pegasus", "t5", "mt5", "longt5", "led"]);
const INSTRUCTED_SEQ2SEQ = new Set(["t5", "mt5", "umt5", "longt5", "mt0"]);

/**
 * The tasks a model can serve, from its head and family: a sequence-classification head classifies, a masked-LM
 * head fills masks (and can be audited for bias), a causal LM generates (and chats when it has a chat template),
 * an encoder-decoder translates and/or summarises depending on its type and `task_specific_params`.
 *
 * @param hasChatTemplate - whether `tokenizer_config.json` has a `chat_template`; `undefined` when unknown.
 * @example
 * tasksOf(modelShape(gpt2Config), false); // ["text-generation", "generative-qa"]
 */
export function tasksOf(shape: ModelShape, hasChatTemplate: boolean | undefined): CanonicalTask[] {
  switch (shape.head) {
    case "sequence-classification":
      return ["text-classification"];
    case "token-classification":
      return ["token-classification"];
    case "question-answering":
      return ["question-answering"];
    case "masked-lm":
      return ["fill-mask", "bias-audit"];
    case "none":
      return [];
    case "lm":
      break;
  }
  if (shape.family === "decoder") {
    return hasChatTemplate ? ["text-generation", "chat", "generative-qa"] : ["text-generation", "generative-qa"];
  }
  const tasks: CanonicalTask[] = [];
  if (MULTILINGUAL_TRANSLATORS.has(shape.modelType) || shape.translationDirections.length > 0) tasks.push("translation");
  if (SUMMARIZERS.has(shape.modelType) || shape.hasSummarizationParams) tasks.push("summarization");
  if (INSTRUCTED_SEQ2SEQ.has(shape.modelType)) tasks.push("generative-qa");
  return tasks;
}
