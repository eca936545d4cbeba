import type { RecommendedModel } from "../tasks/types.js";

const BART_LARGE = {
  model_type: "bart",
  architectures: ["BartForConditionalGeneration"],
  vocab_size: 50264,
  d_model: 1024,
  encoder_attention_heads: 16,
  decoder_attention_heads: 16,
  encoder_ffn_dim: 4096,
  decoder_ffn_dim: 4096,
  max_position_embeddings: 1024,
  is_encoder_decoder: true,
};

const M2M_SHAPE = {
  model_type: "m2m_100",
  architectures: ["M2M100ForConditionalGeneration"],
  d_model: 1024,
  encoder_layers: 12,
  decoder_layers: 12,
  encoder_attention_heads: 16,
  decoder_attention_heads: 16,
  encoder_ffn_dim: 4096,
  decoder_ffn_dim: 4096,
  max_position_embeddings: 1024,
  is_encoder_decoder: true,
};

/** T5-small: English to German, French and Romanian, and summarization, by task prefix. The default of `translate`. */
export const T5_SMALL: RecommendedModel = {
  id: "Xenova/t5-small",
  architecture: "T5",
  family: "encoder-decoder",
  parameters: 60.5e6,
  languages: ["en", "de", "fr", "ro"],
  directions: ["en->de", "en->fr", "en->ro"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: 'Multi-task by prefix ("translate English to German: ", "summarize: "); small, so quality is modest.',
  config: {
    model_type: "t5",
    architectures: ["T5ForConditionalGeneration"],
    vocab_size: 32128,
    d_model: 512,
    d_kv: 64,
    d_ff: 2048,
    num_layers: 6,
    num_decoder_layers: 6,
    num_heads: 8,
    n_positions: 512,
    feed_forward_proj: "relu",
    is_encoder_decoder: true,
    task_specific_params: { summarization: {}, translation_en_to_de: {}, translation_en_to_fr: {}, translation_en_to_ro: {} },
  },
};

/** Flan-T5-small: instruction-tuned T5 for short generative answers. */
export const FLAN_T5_SMALL: RecommendedModel = {
  id: "Xenova/flan-t5-small",
  architecture: "T5 (Flan)",
  family: "encoder-decoder",
  parameters: 77e6,
  languages: ["en"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "Instruction-tuned T5: short answers to questions about a given context; best in English.",
  config: {
    model_type: "t5",
    architectures: ["T5ForConditionalGeneration"],
    vocab_size: 32128,
    d_model: 512,
    d_kv: 64,
    d_ff: 1024,
    num_layers: 8,
    num_decoder_layers: 8,
    num_heads: 6,
    n_positions: 512,
    feed_forward_proj: "gated-gelu",
    tie_word_embeddings: false,
    is_encoder_decoder: true,
  },
};

/** Marian opus-mt-en-de: one direction, small and good. */
export const OPUS_MT_EN_DE: RecommendedModel = {
  id: "Xenova/opus-mt-en-de",
  architecture: "Marian",
  family: "encoder-decoder",
  parameters: 74e6,
  languages: ["en", "de"],
  directions: ["en->de"],
  license: "CC-BY-4.0",
  commercialUse: true,
  contextTokens: 512,
  approximate: true,
  note: "OPUS-MT English to German (Marian): one language pair, better and faster than a multilingual model of its size.",
  config: {
    model_type: "marian",
    architectures: ["MarianMTModel"],
    vocab_size: 58101,
    d_model: 512,
    encoder_layers: 6,
    decoder_layers: 6,
    encoder_attention_heads: 8,
    decoder_attention_heads: 8,
    encoder_ffn_dim: 2048,
    decoder_ffn_dim: 2048,
    max_position_embeddings: 512,
    is_encoder_decoder: true,
  },
};

/** M2M100 (418M): translation between any two of 100 languages. */
export const M2M100_418M: RecommendedModel = {
  id: "Xenova/m2m100_418M",
  architecture: "M2M100",
  family: "encoder-decoder",
  parameters: 484e6,
  languages: ["en", "de", "fr", "es", "it", "pt", "nl", "ru", "pl", "tr", "ar", "hi", "zh", "ja", "ko", "vi"],
  languageCount: 100,
  directions: ["*->*"],
  license: "MIT",
  commercialUse: true,
  contextTokens: 1024,
  approximate: true,
  note: "Many-to-many translation between 100 languages without pivoting through English (named 418M; 484M counting the shared embedding).",
  config: { ...M2M_SHAPE, vocab_size: 128112 },
};

/** NLLB-200 distilled 600M: translation between 200 languages, non-commercial. */
export const NLLB_200_600M: RecommendedModel = {
  id: "Xenova/nllb-200-distilled-600M",
  architecture: "NLLB (M2M100)",
  family: "encoder-decoder",
  parameters: 615e6,
  languages: ["en", "de", "fr", "es", "it", "pt", "nl", "ru", "pl", "tr", "ar", "hi", "zh", "ja", "ko", "vi", "sw", "yo"],
  languageCount: 200,
  directions: ["*->*"],
  license: "CC-BY-NC-4.0",
  commercialUse: false,
  contextTokens: 512,
  approximate: true,
  note: "200 languages, including many low-resource ones (codes such as eng_Latn); trained on inputs up to 512 tokens; non-commercial license.",
  config: { ...M2M_SHAPE, model_type: "m2m_100", vocab_size: 256206 },
};

/** DistilBART CNN 6-6: English news summarization. The default of `summarize`. */
export const DISTILBART_CNN_6_6: RecommendedModel = {
  id: "Xenova/distilbart-cnn-6-6",
  architecture: "BART (distilled)",
  family: "encoder-decoder",
  parameters: 230e6,
  languages: ["en"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 1024,
  approximate: false,
  note: "Distilled BART (6 encoder, 6 decoder layers) fine-tuned on CNN/DailyMail: abstractive English news summaries.",
  config: { ...BART_LARGE, encoder_layers: 6, decoder_layers: 6 },
};

/** BART-large CNN: English news summarization, larger and better than DistilBART. */
export const BART_LARGE_CNN: RecommendedModel = {
  id: "Xenova/bart-large-cnn",
  architecture: "BART",
  family: "encoder-decoder",
  parameters: 406e6,
  languages: ["en"],
  license: "MIT",
  commercialUse: true,
  contextTokens: 1024,
  approximate: false,
  note: "BART-large fine-tuned on CNN/DailyMail: stronger summaries than DistilBART at about twice the cost.",
  config: { ...BART_LARGE, encoder_layers: 12, decoder_layers: 12 },
};
