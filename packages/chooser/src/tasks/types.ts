import type { CanonicalTask } from "./task-names.js";

/**
 * The three transformer architecture families, which decide how a model runs.
 *
 * @example
 * const family: ArchitectureFamily = "encoder-decoder";
 */
export type ArchitectureFamily = "encoder" | "decoder" | "encoder-decoder";

/**
 * A `config.json` object as Hugging Face writes it (snake_case fields), or the part of it that gives the model's
 * shape: `model_type`, `architectures`, sizes, layers, heads, vocabulary, positions.
 *
 * @example
 * const config: RawModelConfig = { model_type: "bert", hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, vocab_size: 30522 };
 */
export type RawModelConfig = Readonly<Record<string, unknown>>;

/**
 * A translation direction, as language codes or names (`"en"`, `"German"`) or a model's own codes (`"de_DE"`).
 *
 * @example
 * const pair: LanguagePair = { from: "en", to: "de" };
 */
export interface LanguagePair {
  /** Source language. */
  from: string;
  /** Target language. */
  to: string;
}

/**
 * How a task handles inputs longer than the model's window:
 * - `"window"`: overlapping windows with a stride (classification averages them, NER stitches entities, QA takes the best span);
 * - `"chunk"`: summarise chunks split on sentence boundaries, then summarise the joined summaries;
 * - `"truncate-prompt"`: keep the most recent prompt tokens (`truncatePrompt: "left"`), or pick a long-context model;
 * - `"split-sentences"`: translate sentence by sentence (pass an array of sentences);
 * - `"local-context"`: keep only the sentence(s) around the mask;
 * - `"truncate"`: the model reads the start of the long text (the document of a reranked pair, the text of a zero-shot
 *   pair), never the query or the hypothesis.
 *
 * @example
 * const strategy: LongInputStrategy = "window";
 */
export type LongInputStrategy = "window" | "chunk" | "truncate-prompt" | "split-sentences" | "local-context" | "truncate";

/**
 * The package and function that serve a task, its model handle, and its CLI command.
 *
 * @example
 * const served: ServedBy = { package: "@proj/encoder", function: "classify", handle: "createClassifier", cli: "proj classify" };
 */
export interface ServedBy {
  /** The npm package. */
  package: "@proj/encoder" | "@proj/decoder" | "@proj/seq2seq";
  /** The one-shot function, e.g. `"classify"`. */
  function: string;
  /** The function that creates a reusable handle, e.g. `"createClassifier"`. */
  handle: string;
  /** The CLI command, e.g. `"proj classify"`. */
  cli: string;
}

/**
 * A recommended ONNX-ready model on the Hugging Face Hub.
 *
 * @example
 * const model: RecommendedModel = taskRow("text-classification").models[0]!;
 * model.id; // "Xenova/distilbert-base-uncased-finetuned-sst-2-english"
 */
export interface RecommendedModel {
  /** Hub id, e.g. `"Xenova/distilbert-base-uncased-finetuned-sst-2-english"`. */
  id: string;
  /** Architecture name, e.g. `"DistilBERT"`. */
  architecture: string;
  /** Its architecture family. */
  family: ArchitectureFamily;
  /** Parameters, as published for the original model (rounded). */
  parameters: number;
  /** Languages it was trained for, as ISO 639-1 codes (a sample when {@link RecommendedModel.languageCount} is set). */
  languages: readonly string[];
  /** For models trained on many languages: how many (the codes in `languages` are the best known of them). */
  languageCount?: number;
  /** For embedding models: the length of the vectors it returns. */
  embeddingDimensions?: number;
  /** For translation models: the directions it translates, as `"en->de"`; `"*->*"` for any pair of its languages. */
  directions?: readonly string[];
  /** The license of the original weights (SPDX id or the license's name). */
  license: string;
  /** False for non-commercial licenses (e.g. CC-BY-NC-4.0). */
  commercialUse: boolean;
  /** Longest input in tokens (position embeddings, or the length the model was trained on). */
  contextTokens: number;
  /** True when a figure here (parameters, context) is approximate or from a source less certain than the model card. */
  approximate: boolean;
  /** What it is good at and what to know. */
  note: string;
  /** The shape fields of its `config.json` (snake_case), from which sizes and memory are computed. */
  config: RawModelConfig;
}

/**
 * One row of the task table: which family serves the task, why, the default model, recommended models, the
 * package function that runs it, and how long inputs are handled.
 *
 * @example
 * const row: TaskRow = taskRow("summarization");
 * row.family; // "encoder-decoder"
 */
export interface TaskRow {
  /** Canonical task name. */
  task: CanonicalTask;
  /** Title for people, e.g. `"Sentiment / text classification"`. */
  title: string;
  /** Other names of the task. */
  aliases: readonly string[];
  /** The architecture family that serves it best. */
  family: ArchitectureFamily;
  /** Other families that also serve it. */
  alternativeFamilies: readonly ArchitectureFamily[];
  /** Architectures of that family, e.g. `["BERT", "RoBERTa", "DistilBERT"]`. */
  architectures: readonly string[];
  /** Why that family. */
  why: string;
  /** Hub id of the model used when none is given (and no embedded model is installed). */
  defaultModel: string;
  /**
   * Name of the small model trained in this repository and shipped in `@proj/models` for the task (`"sentiment"`,
   * `"ner"` ...), used before the Hub default when installed, so the task works offline.
   */
  embeddedModel?: string;
  /**
   * Translation: the one direction the embedded model translates (ISO 639-1 codes). The embedded model serves only
   * that pair, which is also the pair assumed when a call names no languages.
   */
  embeddedDirection?: LanguagePair;
  /** The package function that serves it. */
  servedBy: ServedBy;
  /** Recommended models, preferred first (the default first). */
  models: readonly RecommendedModel[];
  /** How inputs longer than the window are handled. */
  longInput: LongInputStrategy;
}
