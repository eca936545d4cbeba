import { ChooserError } from "../errors.js";
import type { ArchitectureFamily } from "../tasks/types.js";

/**
 * `model_type`s of encoder-only models (BERT and its kin): they label text, tokens and spans.
 *
 * @example
 * ENCODER_MODEL_TYPES.has("roberta"); // true
 */
export const ENCODER_MODEL_TYPES: ReadonlySet<string> = new Set([
  "bert",
  "roberta",
  "distilbert",
  "albert",
  "electra",
  "deberta",
  "deberta-v2",
  "xlm-roberta",
  "camembert",
  "mpnet",
  "mobilebert",
  "squeezebert",
  "convbert",
  "funnel",
  "ernie",
  "roformer",
  "nomic_bert",
  "modernbert",
  "esm",
]);

/**
 * `model_type`s of decoder-only (causal) models: they generate text.
 *
 * @example
 * DECODER_MODEL_TYPES.has("llama"); // true
 */
export const DECODER_MODEL_TYPES: ReadonlySet<string> = new Set([
  "gpt2",
  "gpt_neo",
  "gpt_neox",
  "gptj",
  "gpt_bigcode",
  "codegen",
  "llama",
  "mistral",
  "mixtral",
  "qwen2",
  "qwen2_moe",
  "qwen3",
  "gemma",
  "gemma2",
  "gemma3_text",
  "phi",
  "phi3",
  "opt",
  "bloom",
  "falcon",
  "mpt",
  "olmo",
  "olmo2",
  "stablelm",
  "starcoder2",
  "granite",
  "cohere",
  "smollm3",
  "exaone",
  "helium",
]);

/**
 * `model_type`s of encoder-decoder models: they translate and summarise.
 *
 * @example
 * ENCODER_DECODER_MODEL_TYPES.has("marian"); // true
 */
export const ENCODER_DECODER_MODEL_TYPES: ReadonlySet<string> = new Set([
  "t5",
  "mt5",
  "longt5",
  "bart",
  "mbart",
  "marian",
  "pegasus",
  "m2m_100",
  "nllb",
  "blenderbot",
  "blenderbot-small",
  "mt0",
  "umt5",
]);

/**
 * What tells a model's family: its config's `model_type`, `architectures` and `is_encoder_decoder`, and, when
 * known, the ONNX files of its folder (`"onnx/encoder_model.onnx"` ...).
 *
 * @example
 * const clues: FamilyClues = { modelType: "bart", architectures: ["BartForConditionalGeneration"], isEncoderDecoder: true };
 */
export interface FamilyClues {
  /** `model_type`. */
  modelType: string;
  /** `architectures`. */
  architectures: readonly string[];
  /** `is_encoder_decoder`. */
  isEncoderDecoder: boolean;
  /** Paths of the model's ONNX files, used when the config alone does not tell. */
  onnxFiles?: readonly string[];
}

/**
 * The architecture family of a model, or `undefined` when nothing tells: an encoder-decoder flag or type first,
 * then a folder with both encoder and decoder graphs, then the known `model_type`s, then the head named in
 * `architectures`, then a lone decoder graph. The one rule behind {@link familyOf} and `@proj/core`'s `detectFamily`.
 *
 * @example
 * inferFamily({ modelType: "mystery", architectures: [], isEncoderDecoder: false, onnxFiles: ["onnx/decoder_model.onnx"] }); // "decoder"
 */
export function inferFamily(clues: FamilyClues): ArchitectureFamily | undefined {
  const names = (clues.onnxFiles ?? []).map((f) => f.split("/").pop() ?? f);
  const has = (prefix: string): boolean => names.some((n) => n.startsWith(prefix));
  if (clues.isEncoderDecoder || ENCODER_DECODER_MODEL_TYPES.has(clues.modelType)) return "encoder-decoder";
  if (has("encoder_model") && has("decoder_model")) return "encoder-decoder";
  if (DECODER_MODEL_TYPES.has(clues.modelType)) return "decoder";
  if (ENCODER_MODEL_TYPES.has(clues.modelType)) return "encoder";
  const arch = clues.architectures.join(" ");
  if (/ForConditionalGeneration|Seq2SeqLM|MTModel/.test(arch)) return "encoder-decoder";
  if (/ForCausalLM|LMHeadModel/.test(arch)) return "decoder";
  if (/For(SequenceClassification|TokenClassification|QuestionAnswering|MaskedLM|MultipleChoice)|Model$/.test(arch)) return "encoder";
  if (has("decoder_model")) return "decoder";
  return undefined;
}

/**
 * The architecture family of a model from its `model_type` and `architectures` (by {@link inferFamily}). Throws a
 * {@link ChooserError} when neither tells.
 *
 * @example
 * familyOf("bart", ["BartForConditionalGeneration"], true); // "encoder-decoder"
 */
export function familyOf(modelType: string, architectures: readonly string[], isEncoderDecoder: boolean): ArchitectureFamily {
  const family = inferFamily({ modelType, architectures, isEncoderDecoder });
  if (family) return family;
  throw new ChooserError(
    "INVALID_CONFIG",
    `Cannot tell the architecture family of model_type "${modelType}" (architectures: ${architectures.join(" ") || "none"})`,
    "describe a model whose config.json names a known model_type or architectures entry (e.g. BertForSequenceClassification)",
  );
}
