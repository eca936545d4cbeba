import { type ModelShape, modelShape, type StackShape } from "../config/model-shape.js";
import { tasksOf } from "../config/tasks-of.js";
import { estimateMemory, type MemoryEstimate, type MemoryOptions } from "../estimate/memory.js";
import { countParameters, type ParameterCount } from "../estimate/parameters.js";
import type { CanonicalTask } from "../tasks/task-names.js";
import type { ArchitectureFamily, LanguagePair, RawModelConfig } from "../tasks/types.js";

/**
 * Options of {@link describeModel} and {@link describeConfig}: the batch and lengths to estimate memory for.
 *
 * @example
 * const options: DescribeOptions = { batchSize: 4, sequenceLength: 2048, dtype: "q8" };
 */
export interface DescribeOptions extends MemoryOptions {
  /**
   * Whether the model has a chat template (`chat_template` in tokenizer_config.json), which decides whether it can
   * chat. {@link describeModel} reads it from the folder; for a config object it is unknown unless given.
   */
  hasChatTemplate?: boolean;
  /**
   * The language pair the tokenizer names (`source_lang` and `target_lang` in tokenizer_config.json, as Marian's and
   * the embedded translator's do), which marks a translator. {@link describeModel} reads it from the folder; for a
   * config object it is unknown unless given.
   */
  languagePair?: LanguagePair;
}

/**
 * What a model is: its family, the tasks it can serve, its size, context length and memory needs.
 *
 * @example
 * const d: ModelDescription = await describeModel("./models/distilbert-sst2");
 * console.log(`${d.family}, ${(d.parameters / 1e6).toFixed(0)}M parameters, ${d.contextTokens} tokens`);
 */
export interface ModelDescription {
  /** `model_type`, e.g. `"bert"`. */
  modelType: string;
  /** `architectures`, e.g. `["BertForSequenceClassification"]`. */
  architectures: readonly string[];
  /** Encoder, decoder or encoder-decoder. */
  family: ArchitectureFamily;
  /** Tasks it can serve. */
  tasks: CanonicalTask[];
  /** Parameters, counted from the shapes. */
  parameters: number;
  /** Parameters by part. */
  parameterBreakdown: ParameterCount;
  /** Longest input in tokens, when the config says. */
  contextTokens: number | undefined;
  /** Hidden size. */
  hiddenSize: number;
  /** Vocabulary size. */
  vocabSize: number;
  /** The encoder stack, if any. */
  encoder: StackShape | undefined;
  /** The decoder stack, if any. */
  decoder: StackShape | undefined;
  /** Label names of a classification head. */
  labels: readonly string[];
  /** Memory estimate for the batch and lengths asked for. */
  memory: MemoryEstimate;
  /** What was assumed or could not be read. */
  notes: string[];
}

/**
 * Describes a model from its `config.json` object (snake_case, as Hugging Face writes it): family, tasks,
 * parameter count, context length and a memory estimate. Pure: no file system, runs anywhere.
 *
 * @example
 * const d = describeConfig({ model_type: "gpt2", architectures: ["GPT2LMHeadModel"], n_embd: 768, n_layer: 12, n_head: 12, vocab_size: 50257, n_positions: 1024 });
 * d.parameters; // ≈ 124.4e6
 * d.memory.kvCacheBytesPerToken; // 73728 (2 × 12 layers × 12 heads × 64 × 4 bytes)
 */
export function describeConfig(config: RawModelConfig, options: DescribeOptions = {}): ModelDescription {
  const shape = modelShape(config);
  return describeShape(shape, options);
}

/**
 * Describes a model already read into a {@link ModelShape}.
 *
 * @example
 * describeShape(modelShape(config), { batchSize: 2 }).memory.totalBytes;
 */
export function describeShape(shape: ModelShape, options: DescribeOptions = {}): ModelDescription {
  const { hasChatTemplate, languagePair, ...memoryOptions } = options;
  const parameterBreakdown = countParameters(shape);
  const notes = [...shape.notes];
  if (shape.family === "decoder" && hasChatTemplate === undefined)
    notes.push("chat needs a chat template; pass a folder (or hasChatTemplate) to check");
  if (shape.head === "none") notes.push("no task head (a base model): fine-tune it, or use it for embeddings");
  return {
    modelType: shape.modelType,
    architectures: shape.architectures,
    family: shape.family,
    tasks: tasksOf(shape, hasChatTemplate, languagePair),
    parameters: parameterBreakdown.total,
    parameterBreakdown,
    contextTokens: shape.contextTokens,
    hiddenSize: shape.hiddenSize,
    vocabSize: shape.vocabSize,
    encoder: shape.encoder,
    decoder: shape.decoder,
    labels: shape.labels,
    memory: estimateMemory(shape, memoryOptions),
    notes,
  };
}
