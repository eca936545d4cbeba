import type { RecommendedModel } from "../tasks/types.js";

const GPT2_SHAPE = {
  model_type: "gpt2",
  architectures: ["GPT2LMHeadModel"],
  vocab_size: 50257,
  n_embd: 768,
  n_head: 12,
  n_positions: 1024,
};

/** DistilGPT-2: a small English text generator. The default of `generate`. */
export const DISTILGPT2: RecommendedModel = {
  id: "Xenova/distilgpt2",
  architecture: "GPT-2",
  family: "decoder",
  parameters: 82e6,
  languages: ["en"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 1024,
  approximate: false,
  note: "Distilled GPT-2 (6 layers): fast English continuation; no instruction following.",
  config: { ...GPT2_SHAPE, n_layer: 6 },
};

/** GPT-2 (124M): English text continuation. */
export const GPT2: RecommendedModel = {
  id: "Xenova/gpt2",
  architecture: "GPT-2",
  family: "decoder",
  parameters: 124e6,
  languages: ["en"],
  license: "MIT",
  commercialUse: true,
  contextTokens: 1024,
  approximate: false,
  note: "The original GPT-2 small: English continuation of web text; no instruction following.",
  config: { ...GPT2_SHAPE, n_layer: 12 },
};

/** SmolLM2-135M-Instruct: a tiny English chat model (LLaMA architecture). */
export const SMOLLM2_135M_INSTRUCT: RecommendedModel = {
  id: "HuggingFaceTB/SmolLM2-135M-Instruct",
  architecture: "LLaMA (SmolLM2)",
  family: "decoder",
  parameters: 135e6,
  languages: ["en"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 8192,
  approximate: true,
  note: "Instruction-tuned, very small: follows simple English instructions with a chat template; weak on facts.",
  config: {
    model_type: "llama",
    architectures: ["LlamaForCausalLM"],
    vocab_size: 49152,
    hidden_size: 576,
    intermediate_size: 1536,
    num_hidden_layers: 30,
    num_attention_heads: 9,
    num_key_value_heads: 3,
    max_position_embeddings: 8192,
    tie_word_embeddings: true,
  },
};

/** Qwen2.5-0.5B-Instruct: a small multilingual chat model with a 32k window. The default of `chat`. */
export const QWEN25_05B_INSTRUCT: RecommendedModel = {
  id: "onnx-community/Qwen2.5-0.5B-Instruct",
  architecture: "Qwen2",
  family: "decoder",
  parameters: 494e6,
  languages: ["en", "zh", "fr", "es", "pt", "de", "it", "ru", "ja", "ko", "vi", "th", "ar"],
  languageCount: 29,
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 32768,
  approximate: false,
  note: "Instruction-tuned, multilingual (29+ languages), 32k-token context with grouped-query attention (2 KV heads).",
  config: {
    model_type: "qwen2",
    architectures: ["Qwen2ForCausalLM"],
    vocab_size: 151936,
    hidden_size: 896,
    intermediate_size: 4864,
    num_hidden_layers: 24,
    num_attention_heads: 14,
    num_key_value_heads: 2,
    max_position_embeddings: 32768,
    tie_word_embeddings: true,
  },
};

/** Llama 3.2 1B Instruct: a chat model with a 128k window. */
export const LLAMA32_1B_INSTRUCT: RecommendedModel = {
  id: "onnx-community/Llama-3.2-1B-Instruct",
  architecture: "LLaMA 3.2",
  family: "decoder",
  parameters: 1.24e9,
  languages: ["en", "de", "fr", "it", "pt", "hi", "es", "th"],
  license: "Llama 3.2 Community License",
  commercialUse: true,
  contextTokens: 131072,
  approximate: false,
  note: "Instruction-tuned, 8 officially supported languages, 128k-token context; the license has an acceptable-use policy and a user threshold.",
  config: {
    model_type: "llama",
    architectures: ["LlamaForCausalLM"],
    vocab_size: 128256,
    hidden_size: 2048,
    intermediate_size: 8192,
    num_hidden_layers: 16,
    num_attention_heads: 32,
    num_key_value_heads: 8,
    head_dim: 64,
    max_position_embeddings: 131072,
    tie_word_embeddings: true,
  },
};
