import { ModelFormatError } from "../errors.js";
import type { ModelConfig } from "./model-config.js";

/** The three transformer architecture families, which decide how a model runs. */
export type ArchitectureFamily = "encoder" | "decoder" | "encoder-decoder";

const ENCODER_TYPES = new Set([
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

const DECODER_TYPES = new Set([
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

const ENCODER_DECODER_TYPES = new Set([
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
 * Tells the architecture family of a model from its config and the ONNX files it has.
 *
 * @param onnxFiles - relative paths such as `"onnx/model.onnx"`, used when the config alone does not tell.
 * @example
 * detectFamily(config, ["onnx/encoder_model.onnx", "onnx/decoder_model_merged.onnx"]); // "encoder-decoder"
 */
export function detectFamily(config: ModelConfig, onnxFiles: readonly string[] = []): ArchitectureFamily {
  const names = onnxFiles.map((f) => f.split("/").pop() ?? f);
  const has = (prefix: string): boolean => names.some((n) => n.startsWith(prefix));
  if (config.isEncoderDecoder || ENCODER_DECODER_TYPES.has(config.modelType)) return "encoder-decoder";
  if (has("encoder_model") && has("decoder_model")) return "encoder-decoder";
  if (DECODER_TYPES.has(config.modelType)) return "decoder";
  if (ENCODER_TYPES.has(config.modelType)) return "encoder";
  const arch = config.architectures.join(" ");
  if (/ForConditionalGeneration|Seq2SeqLM|MTModel/.test(arch)) return "encoder-decoder";
  if (/ForCausalLM|LMHeadModel/.test(arch)) return "decoder";
  if (/For(SequenceClassification|TokenClassification|QuestionAnswering|MaskedLM|MultipleChoice)|Model$/.test(arch)) return "encoder";
  if (has("decoder_model")) return "decoder";
  throw new ModelFormatError(`Cannot tell the architecture family of model_type "${config.modelType}" (architectures: ${arch || "none"})`, {
    hint: 'pass { family: "encoder" | "decoder" | "encoder-decoder" } to say how the model runs',
  });
}
