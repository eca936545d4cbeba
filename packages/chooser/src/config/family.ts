import { ChooserError } from "../errors.js";
import type { ArchitectureFamily } from "../tasks/types.js";

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
 * The architecture family of a model from its `model_type` and `architectures` (the same rules as `@proj/core`'s
 * `detectFamily`, without ONNX Runtime). Throws a {@link ChooserError} when neither tells.
 *
 * @example
 * familyOf("bart", ["BartForConditionalGeneration"], true); // "encoder-decoder"
 */
export function familyOf(modelType: string, architectures: readonly string[], isEncoderDecoder: boolean): ArchitectureFamily {
  if (isEncoderDecoder || ENCODER_DECODER_TYPES.has(modelType)) return "encoder-decoder";
  if (DECODER_TYPES.has(modelType)) return "decoder";
  if (ENCODER_TYPES.has(modelType)) return "encoder";
  const arch = architectures.join(" ");
  if (/ForConditionalGeneration|Seq2SeqLM|MTModel/.test(arch)) return "encoder-decoder";
  if (/ForCausalLM|LMHeadModel/.test(arch)) return "decoder";
  if (/For(SequenceClassification|TokenClassification|QuestionAnswering|MaskedLM|MultipleChoice)|Model$/.test(arch)) return "encoder";
  throw new ChooserError(
    "INVALID_CONFIG",
    `Cannot tell the architecture family of model_type "${modelType}" (architectures: ${arch || "none"})`,
    "describe a model whose config.json names a known model_type or architectures entry (e.g. BertForSequenceClassification)",
  );
}
