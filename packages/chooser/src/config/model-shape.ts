import { ChooserError } from "../errors.js";
import type { ArchitectureFamily, RawModelConfig } from "../tasks/types.js";
import { familyOf } from "./family.js";
import { CONFIG_FIELD_ALIASES as F, configNumber } from "./field-aliases.js";
import { booleanField as bool, numberField as num, objectField as obj, stringField as str } from "./fields.js";

/**
 * The shape of one transformer stack.
 *
 * @example
 * describeConfig(config).decoder; // { layers: 24, heads: 14, kvHeads: 2, headDim: 64, ffn: 4864 }
 */
export interface StackShape {
  /** Number of layers. */
  layers: number;
  /** Attention (query) heads. */
  heads: number;
  /** Key/value heads (fewer than `heads` with grouped-query attention). */
  kvHeads: number;
  /** Size of one head. */
  headDim: number;
  /** Inner size of the feed-forward block. */
  ffn: number;
}

/**
 * What sits on top of the stacks, read from `architectures`: it decides the tasks and a few parameters.
 *
 * @example
 * const head: HeadKind = "sequence-classification";
 */
export type HeadKind = "sequence-classification" | "token-classification" | "question-answering" | "masked-lm" | "lm" | "none";

/**
 * A config.json read into one vocabulary for every family (Hugging Face's field names differ per model type).
 *
 * @example
 * const shape: ModelShape = modelShape({ model_type: "gpt2", n_embd: 768, n_layer: 12, n_head: 12, vocab_size: 50257, n_positions: 1024 });
 */
export interface ModelShape {
  /** `model_type`. */
  modelType: string;
  /** `architectures`. */
  architectures: readonly string[];
  /** Encoder, decoder or encoder-decoder. */
  family: ArchitectureFamily;
  /** Vocabulary size. */
  vocabSize: number;
  /** Hidden size. */
  hiddenSize: number;
  /** The encoder stack (encoder-only and encoder-decoder models). */
  encoder: StackShape | undefined;
  /** The decoder stack (decoder-only and encoder-decoder models). */
  decoder: StackShape | undefined;
  /** Longest input in tokens, when the config says. */
  contextTokens: number | undefined;
  /** Learned (or stored sinusoidal) position rows per stack; 0 for rotary or relative positions. */
  positionRows: number;
  /** Token-type (segment) embedding rows, as BERT has. */
  typeVocabSize: number;
  /** True when the output projection reuses the input embedding. */
  tiedEmbeddings: boolean;
  /** True for gated feed-forward blocks (SwiGLU, GeGLU): three matrices instead of two. */
  gated: boolean;
  /** True when linear layers and norms have biases. */
  biases: boolean;
  /** The task head. */
  head: HeadKind;
  /** Label names by class index (`id2label`), or `LABEL_<i>`. */
  labels: readonly string[];
  /** Translation directions from `task_specific_params` (`"en->de"`). */
  translationDirections: readonly string[];
  /** True when `task_specific_params` has a summarization entry. */
  hasSummarizationParams: boolean;
  /** What the reader assumed. */
  notes: readonly string[];
}

const NO_BIAS_TYPES = new Set([
  "llama",
  "mistral",
  "mixtral",
  "qwen2",
  "qwen2_moe",
  "qwen3",
  "gemma",
  "gemma2",
  "gemma3_text",
  "phi3",
  "olmo",
  "olmo2",
  "granite",
  "cohere",
  "smollm3",
  "exaone",
  "helium",
  "t5",
  "mt5",
  "umt5",
  "longt5",
  "mt0",
  "modernbert",
]);
const GATED_TYPES = new Set([
  "llama",
  "mistral",
  "mixtral",
  "qwen2",
  "qwen2_moe",
  "qwen3",
  "gemma",
  "gemma2",
  "gemma3_text",
  "phi3",
  "olmo",
  "olmo2",
  "granite",
  "cohere",
  "smollm3",
  "exaone",
  "helium",
  "modernbert",
]);
const UNTIED_BY_DEFAULT = new Set([
  "llama",
  "mistral",
  "mixtral",
  "qwen2",
  "qwen2_moe",
  "qwen3",
  "phi3",
  "olmo",
  "olmo2",
  "granite",
  "gpt_neox",
  "falcon",
]);
const LEARNED_POSITIONS = new Set([
  "bert",
  "roberta",
  "xlm-roberta",
  "camembert",
  "distilbert",
  "electra",
  "albert",
  "mpnet",
  "gpt2",
  "gpt_neo",
  "opt",
  "bart",
  "mbart",
  "blenderbot",
  "marian",
]);
const ROBERTA_OFFSET = new Set(["roberta", "xlm-roberta", "camembert"]);
const T5_TYPES = new Set(["t5", "mt5", "umt5", "longt5", "mt0"]);

/**
 * Reads a `config.json` object (snake_case, as Hugging Face writes it) into a {@link ModelShape}. Throws a
 * {@link ChooserError} with code `"INVALID_CONFIG"` naming the missing field.
 *
 * @example
 * modelShape(JSON.parse(readFileSync("gpt2/config.json", "utf8"))).decoder?.layers; // 12
 */
export function modelShape(raw: RawModelConfig): ModelShape {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ChooserError(
      "INVALID_CONFIG",
      `Expected a config.json object, got ${raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw}`,
    );
  }
  const modelType = str(raw, "model_type");
  if (!modelType) throw missing("model_type", "a Hugging Face config.json names its model_type (bert, gpt2, llama, t5 ...)");
  const architectures = Array.isArray(raw.architectures) ? raw.architectures.filter((a): a is string => typeof a === "string") : [];
  const isEncoderDecoder = bool(raw, "is_encoder_decoder") ?? false;
  const family = familyOf(modelType, architectures, isEncoderDecoder);
  const hiddenSize = required(configNumber(raw, "hiddenSize"), "hidden_size (or n_embd, d_model, dim)");
  const vocabSize = required(configNumber(raw, "vocabSize"), "vocab_size");
  const notes: string[] = [];

  let encoder: StackShape | undefined;
  let decoder: StackShape | undefined;
  if (family === "encoder-decoder") {
    encoder = seq2seqStack(raw, hiddenSize, "encoder");
    decoder = seq2seqStack(raw, hiddenSize, "decoder");
  } else {
    const heads = required(configNumber(raw, "numHeads"), "num_attention_heads (or n_head)");
    const kvHeads = configNumber(raw, "numKeyValueHeads") ?? (bool(raw, "multi_query") ? 1 : heads);
    const stack: StackShape = {
      layers: required(configNumber(raw, "numLayers"), "num_hidden_layers (or n_layer)"),
      heads,
      kvHeads,
      headDim: configNumber(raw, "headDim") ?? Math.floor(hiddenSize / heads),
      ffn: num(raw, ...F.intermediateSize, ...(modelType === "distilbert" ? ["hidden_dim"] : [])) ?? 4 * hiddenSize,
    };
    if (family === "encoder") encoder = stack;
    else decoder = stack;
  }

  const ffProj = str(raw, "feed_forward_proj") ?? "";
  const gated = GATED_TYPES.has(modelType) || bool(raw, "is_gated_act") === true || ffProj.startsWith("gated");
  const positions = configNumber(raw, "contextLength");
  let contextTokens = positions;
  if (ROBERTA_OFFSET.has(modelType) && positions !== undefined) contextTokens = positions - 2;
  if (T5_TYPES.has(modelType)) {
    contextTokens = num(raw, "n_positions") ?? 512;
    notes.push(`${modelType} uses relative positions: ${contextTokens} is the length it was trained on, not a hard limit`);
  }
  let positionRows = LEARNED_POSITIONS.has(modelType) ? (positions ?? 0) : 0;
  if (modelType === "bart" || modelType === "mbart" || modelType === "opt") positionRows += 2;
  if (contextTokens === undefined) notes.push("config.json gives no maximum position: the context length is unknown");

  const head = headKind(architectures, family);
  return {
    modelType,
    architectures,
    family,
    vocabSize,
    hiddenSize,
    encoder,
    decoder,
    contextTokens,
    positionRows,
    typeVocabSize: num(raw, "type_vocab_size") ?? 0,
    tiedEmbeddings: bool(raw, "tie_word_embeddings") ?? !UNTIED_BY_DEFAULT.has(modelType),
    gated,
    biases: !NO_BIAS_TYPES.has(modelType),
    head,
    labels: labelsOf(raw, head),
    translationDirections: taskKeys(raw, /^translation_(.+)_to_(.+)$/).map((m) => `${m[1]}->${m[2]}`),
    hasSummarizationParams: taskKeys(raw, /^summarization/).length > 0,
    notes,
  };
}

function seq2seqStack(raw: RawModelConfig, hidden: number, side: "encoder" | "decoder"): StackShape {
  const heads = required(configNumber(raw, `${side}Heads`), `${side}_attention_heads (or num_heads)`);
  return {
    layers: required(configNumber(raw, `${side}Layers`), `${side}_layers (or num_layers)`),
    heads,
    kvHeads: heads,
    headDim: configNumber(raw, "headDim") ?? Math.floor(hidden / heads),
    ffn: configNumber(raw, `${side}Ffn`) ?? 4 * hidden,
  };
}

function headKind(architectures: readonly string[], family: ArchitectureFamily): HeadKind {
  const arch = architectures.join(" ");
  if (/ForSequenceClassification/.test(arch)) return "sequence-classification";
  if (/ForTokenClassification/.test(arch)) return "token-classification";
  if (/ForQuestionAnswering/.test(arch)) return "question-answering";
  if (/ForMaskedLM|ForPreTraining/.test(arch)) return "masked-lm";
  if (/ForCausalLM|LMHeadModel|ForConditionalGeneration|MTModel|Seq2SeqLM/.test(arch)) return "lm";
  return family === "encoder" ? "none" : "lm";
}

function labelsOf(raw: RawModelConfig, head: HeadKind): string[] {
  if (head === "question-answering") return ["start", "end"];
  if (head !== "sequence-classification" && head !== "token-classification") return [];
  const id2label = obj(raw, "id2label");
  // num_labels defaults to 2 only when id2label does not say (a one-label cross-encoder writes just id2label).
  const count = Math.max(id2label ? Object.keys(id2label).length : 0, num(raw, "num_labels") ?? (id2label ? 0 : 2));
  return Array.from({ length: count }, (_, i) => {
    const label = id2label?.[String(i)];
    return typeof label === "string" ? label : `LABEL_${i}`;
  });
}

function taskKeys(raw: RawModelConfig, pattern: RegExp): RegExpExecArray[] {
  const params = obj(raw, "task_specific_params");
  if (!params) return [];
  return Object.keys(params).flatMap((key) => {
    const match = pattern.exec(key);
    return match ? [match] : [];
  });
}

function required(value: number | undefined, field: string): number {
  if (value === undefined || value <= 0)
    throw missing(field, "describe a config.json exported with the model (transformers writes every size field)");
  return value;
}

function missing(field: string, hint: string): ChooserError {
  return new ChooserError("INVALID_CONFIG", `config.json has no usable "${field}"`, hint);
}
