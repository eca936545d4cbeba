import type { CanonicalTask } from "../tasks/task-names.js";
import type { LanguagePair } from "../tasks/types.js";
import type { ModelShape } from "./model-shape.js";

const MULTILINGUAL_TRANSLATORS = new Set(["marian", "m2m_100", "nllb", "mbart"]);
const SUMMARIZERS = new Set(["bart", "pegasus", "t5", "mt5", "longt5", "led"]);
const INSTRUCTED_SEQ2SEQ = new Set(["t5", "mt5", "umt5", "longt5", "mt0"]);

/**
 * The tasks a model can serve, from its head and family: a sequence-classification head classifies (and, with one
 * label, ranks query-document pairs as a cross-encoder; with an entailment label, classifies zero-shot as an NLI
 * model), an encoder without a head extracts features (embeddings, sentence similarity), a masked-LM
 * head fills masks (and can be audited for bias), a causal LM generates (and chats when it has a chat template),
 * an encoder-decoder translates and/or summarises depending on its type, its `task_specific_params` and the
 * language pair its tokenizer names. A summarising type (BART, T5 ...) that names a language pair (a
 * `translation_xx_to_yy` entry, or `source_lang`/`target_lang` in tokenizer_config.json) and no summarization
 * settings was trained to translate, and is not listed as a summariser: `facebook/bart-large-cnn` summarises, a
 * BART trained on English-German pairs translates, T5-small (both kinds of settings) does both.
 *
 * @param hasChatTemplate - whether `tokenizer_config.json` has a `chat_template`; `undefined` when unknown.
 * @param languagePair - the pair `tokenizer_config.json` names (`source_lang`, `target_lang`); `undefined` when none or unknown.
 * @example
 * tasksOf(modelShape(gpt2Config), false); // ["text-generation", "generative-qa"]
 * tasksOf(modelShape(bartConfig), undefined, { from: "en", to: "de" }); // ["translation"]
 */
export function tasksOf(shape: ModelShape, hasChatTemplate: boolean | undefined, languagePair?: LanguagePair | undefined): CanonicalTask[] {
  switch (shape.head) {
    case "sequence-classification": {
      const labels = shape.labels.map((l) => l.toLowerCase());
      if (labels.length === 1) return ["text-classification", "text-ranking"];
      if (labels.some((l) => l.startsWith("entail"))) return ["text-classification", "zero-shot-classification"];
      return ["text-classification"];
    }
    case "token-classification":
      return ["token-classification"];
    case "question-answering":
      return ["question-answering"];
    case "masked-lm":
      return ["fill-mask", "bias-audit"];
    case "none":
      return shape.family === "encoder" ? ["feature-extraction", "sentence-similarity"] : [];
    case "lm":
      break;
  }
  if (shape.family === "decoder") {
    return hasChatTemplate ? ["text-generation", "chat", "generative-qa"] : ["text-generation", "generative-qa"];
  }
  const tasks: CanonicalTask[] = [];
  const namesPair = shape.translationDirections.length > 0 || languagePair !== undefined;
  if (MULTILINGUAL_TRANSLATORS.has(shape.modelType) || namesPair) tasks.push("translation");
  if (shape.hasSummarizationParams || (SUMMARIZERS.has(shape.modelType) && !namesPair)) tasks.push("summarization");
  if (INSTRUCTED_SEQ2SEQ.has(shape.modelType)) tasks.push("generative-qa");
  return tasks;
}
