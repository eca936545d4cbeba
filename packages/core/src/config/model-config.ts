import { ModelFormatError } from "../errors.js";
import { configNumber } from "@proj/chooser";
import { bool, idList, type JsonObject, num, obj, readJsonObject, str } from "./read-json.js";

/** Shape of one transformer stack (encoder or decoder), read from the family's own field names. */
export interface StackShape {
  /** Number of layers. */
  numLayers: number;
  /** Number of attention (query) heads. */
  numHeads: number;
  /** Number of key/value heads (fewer than `numHeads` with grouped-query attention). */
  numKeyValueHeads: number;
  /** Size of one head. */
  headDim: number;
}

/**
 * A model's `config.json`, typed, with the family-specific field names mapped to one vocabulary (the chooser's
 * `CONFIG_FIELD_ALIASES`).
 */
export interface ModelConfig {
  /** `model_type`, e.g. `"bert"`, `"gpt2"`, `"llama"`, `"t5"`. */
  modelType: string;
  /** `architectures`, e.g. `["BertForSequenceClassification"]`. */
  architectures: string[];
  /** Vocabulary size of the model's embedding. */
  vocabSize: number | undefined;
  /** Hidden size (`hidden_size`, `n_embd`, `d_model`). */
  hiddenSize: number | undefined;
  /** Longest sequence the position embeddings allow, when the model has a limit (`max_position_embeddings`, `n_positions`, `n_ctx`, `max_seq_len`, `seq_length`). */
  maxPositionEmbeddings: number | undefined;
  /** True for encoder-decoder models (`is_encoder_decoder`). */
  isEncoderDecoder: boolean;
  /** The stack that generates tokens (decoder) or, for encoder-only models, the encoder. */
  decoder: StackShape | undefined;
  /** The encoder stack of an encoder-decoder model. */
  encoder: StackShape | undefined;
  /** Label names by class index (`id2label`). */
  id2label: Record<number, string>;
  /** Class index by label name (`label2id`). */
  label2id: Record<string, number>;
  /** `problem_type`: `"single_label_classification"`, `"multi_label_classification"` or `"regression"`. */
  problemType: string | undefined;
  /** Beginning-of-sequence token id. */
  bosTokenId: number | undefined;
  /** End-of-sequence token ids (one or more). */
  eosTokenIds: number[];
  /** Padding token id. */
  padTokenId: number | undefined;
  /** First decoder token of encoder-decoder models. */
  decoderStartTokenId: number | undefined;
  /** `task_specific_params` (T5 prefixes and per-task generation settings). */
  taskSpecificParams: Record<string, JsonObject>;
  /** The file as read, for fields this type does not map. */
  raw: JsonObject;
}

/**
 * Reads and types a `config.json`.
 *
 * @example
 * const config = await readModelConfig("/models/gpt2/config.json");
 * config.decoder?.numLayers; // 12
 */
export async function readModelConfig(path: string): Promise<ModelConfig> {
  return parseModelConfig(await readJsonObject(path), path);
}

/**
 * Types a `config.json` object already parsed.
 *
 * @example
 * const config = parseModelConfig({ model_type: "bert", hidden_size: 768, num_attention_heads: 12, num_hidden_layers: 12 });
 */
export function parseModelConfig(raw: JsonObject, path = "config.json"): ModelConfig {
  const modelType = str(raw, "model_type");
  if (!modelType) {
    throw new ModelFormatError(`${path} has no "model_type"`, {
      hint: "a Hugging Face config.json names its model_type (bert, gpt2, llama, t5 ...); export the model with Optimum or transformers",
    });
  }
  const architectures = Array.isArray(raw.architectures) ? raw.architectures.filter((a): a is string => typeof a === "string") : [];
  const hiddenSize = configNumber(raw, "hiddenSize");
  const isEncoderDecoder = bool(raw, "is_encoder_decoder") ?? false;
  const id2label = readId2Label(raw);
  const label2id: Record<string, number> = {};
  const rawLabel2id = obj(raw, "label2id");
  if (rawLabel2id) for (const [k, v] of Object.entries(rawLabel2id)) if (typeof v === "number") label2id[k] = v;
  for (const [id, label] of Object.entries(id2label)) label2id[label] ??= Number(id);

  const taskSpecificParams: Record<string, JsonObject> = {};
  const tsp = obj(raw, "task_specific_params");
  if (tsp)
    for (const key of Object.keys(tsp)) {
      const v = obj(tsp, key);
      if (v) taskSpecificParams[key] = v;
    }

  return {
    modelType,
    architectures,
    vocabSize: configNumber(raw, "vocabSize"),
    hiddenSize,
    maxPositionEmbeddings: configNumber(raw, "contextLength"),
    isEncoderDecoder,
    decoder: isEncoderDecoder ? decoderStackOfSeq2seq(raw, hiddenSize) : mainStack(raw, hiddenSize),
    encoder: isEncoderDecoder ? encoderStackOfSeq2seq(raw, hiddenSize) : undefined,
    id2label,
    label2id,
    problemType: str(raw, "problem_type"),
    bosTokenId: idList(raw, "bos_token_id")?.[0],
    eosTokenIds: idList(raw, "eos_token_id") ?? [],
    padTokenId: idList(raw, "pad_token_id")?.[0],
    decoderStartTokenId: num(raw, "decoder_start_token_id"),
    taskSpecificParams,
    raw,
  };
}

function readId2Label(raw: JsonObject): Record<number, string> {
  const out: Record<number, string> = {};
  const id2label = obj(raw, "id2label");
  if (!id2label) return out;
  for (const [key, value] of Object.entries(id2label)) {
    const id = Number(key);
    if (Number.isInteger(id) && typeof value === "string") out[id] = value;
  }
  return out;
}

function stack(
  layers: number | undefined,
  heads: number | undefined,
  kvHeads: number | undefined,
  headDim: number | undefined,
  hidden: number | undefined,
): StackShape | undefined {
  if (layers === undefined || heads === undefined) return undefined;
  const dim = headDim ?? (hidden !== undefined ? Math.floor(hidden / heads) : undefined);
  if (dim === undefined) return undefined;
  return { numLayers: layers, numHeads: heads, numKeyValueHeads: kvHeads ?? heads, headDim: dim };
}

function mainStack(raw: JsonObject, hidden: number | undefined): StackShape | undefined {
  // multi_query (gpt_bigcode) means one shared key/value head.
  const kvHeads = configNumber(raw, "numKeyValueHeads") ?? (bool(raw, "multi_query") ? 1 : undefined);
  return stack(configNumber(raw, "numLayers"), configNumber(raw, "numHeads"), kvHeads, configNumber(raw, "headDim"), hidden);
}

function decoderStackOfSeq2seq(raw: JsonObject, hidden: number | undefined): StackShape | undefined {
  return stack(configNumber(raw, "decoderLayers"), configNumber(raw, "decoderHeads"), undefined, configNumber(raw, "headDim"), hidden);
}

function encoderStackOfSeq2seq(raw: JsonObject, hidden: number | undefined): StackShape | undefined {
  return stack(configNumber(raw, "encoderLayers"), configNumber(raw, "encoderHeads"), undefined, configNumber(raw, "headDim"), hidden);
}
