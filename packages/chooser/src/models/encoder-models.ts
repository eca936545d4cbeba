import type { RecommendedModel } from "../tasks/types.js";

const BERT_BASE = {
  hidden_size: 768,
  intermediate_size: 3072,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  max_position_embeddings: 512,
  type_vocab_size: 2,
};
const DISTILBERT = { model_type: "distilbert", dim: 768, hidden_dim: 3072, n_layers: 6, n_heads: 12, max_position_embeddings: 512 };
const ROBERTA_BASE = {
  hidden_size: 768,
  intermediate_size: 3072,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  max_position_embeddings: 514,
  type_vocab_size: 1,
};

/** DistilBERT fine-tuned on SST-2: English sentiment, POSITIVE/NEGATIVE. The default of `classify`. */
export const DISTILBERT_SST2: RecommendedModel = {
  id: "Xenova/distilbert-base-uncased-finetuned-sst-2-english",
  architecture: "DistilBERT",
  family: "encoder",
  parameters: 67e6,
  languages: ["en"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "English sentiment (SST-2 movie reviews), two labels; small and fast.",
  config: {
    ...DISTILBERT,
    architectures: ["DistilBertForSequenceClassification"],
    vocab_size: 30522,
    id2label: { 0: "NEGATIVE", 1: "POSITIVE" },
  },
};

/** Multilingual BERT fine-tuned on product reviews: 1 to 5 stars in six languages. */
export const BERT_MULTILINGUAL_SENTIMENT: RecommendedModel = {
  id: "Xenova/bert-base-multilingual-uncased-sentiment",
  architecture: "BERT",
  family: "encoder",
  parameters: 167e6,
  languages: ["en", "nl", "de", "fr", "es", "it"],
  license: "MIT",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "Product-review sentiment as 1-5 stars in English, Dutch, German, French, Spanish and Italian.",
  config: {
    model_type: "bert",
    architectures: ["BertForSequenceClassification"],
    ...BERT_BASE,
    vocab_size: 105879,
    id2label: { 0: "1 star", 1: "2 stars", 2: "3 stars", 3: "4 stars", 4: "5 stars" },
  },
};

/** BERT-base (cased) fine-tuned on CoNLL-2003: PER, ORG, LOC, MISC. The default of `ner`. */
export const BERT_BASE_NER: RecommendedModel = {
  id: "Xenova/bert-base-NER",
  architecture: "BERT",
  family: "encoder",
  parameters: 108e6,
  languages: ["en"],
  license: "MIT",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "English named entities (CoNLL-2003: PER, ORG, LOC, MISC), cased.",
  config: { model_type: "bert", architectures: ["BertForTokenClassification"], ...BERT_BASE, vocab_size: 28996, num_labels: 9 },
};

/** Multilingual BERT (cased) NER for ten high-resource languages. */
export const BERT_MULTILINGUAL_NER: RecommendedModel = {
  id: "Xenova/bert-base-multilingual-cased-ner-hrl",
  architecture: "BERT",
  family: "encoder",
  parameters: 177e6,
  languages: ["ar", "de", "en", "es", "fr", "it", "lv", "nl", "pt", "zh"],
  license: "AFL-3.0",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "Named entities (PER, ORG, LOC) in Arabic, German, English, Spanish, French, Italian, Latvian, Dutch, Portuguese and Chinese.",
  config: { model_type: "bert", architectures: ["BertForTokenClassification"], ...BERT_BASE, vocab_size: 119547, num_labels: 9 },
};

/** DistilBERT (cased) distilled on SQuAD v1.1: extractive QA. The default of `answer`. */
export const DISTILBERT_SQUAD_CASED: RecommendedModel = {
  id: "Xenova/distilbert-base-cased-distilled-squad",
  architecture: "DistilBERT",
  family: "encoder",
  parameters: 65e6,
  languages: ["en"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "English extractive QA (SQuAD v1.1): always answers with a span; it was not trained to say there is no answer.",
  config: { ...DISTILBERT, architectures: ["DistilBertForQuestionAnswering"], vocab_size: 28996 },
};

/** DistilBERT (uncased) distilled on SQuAD v1.1. */
export const DISTILBERT_SQUAD_UNCASED: RecommendedModel = {
  id: "Xenova/distilbert-base-uncased-distilled-squad",
  architecture: "DistilBERT",
  family: "encoder",
  parameters: 66e6,
  languages: ["en"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "English extractive QA (SQuAD v1.1), uncased: ignores capitalisation.",
  config: { ...DISTILBERT, architectures: ["DistilBertForQuestionAnswering"], vocab_size: 30522 },
};

/** BERT-base (uncased) masked language model. The default of `fillMask` and `auditBias`. */
export const BERT_BASE_UNCASED: RecommendedModel = {
  id: "Xenova/bert-base-uncased",
  architecture: "BERT",
  family: "encoder",
  parameters: 110e6,
  languages: ["en"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "The original English BERT (Wikipedia + BooksCorpus); the classic subject of bias probes.",
  config: { model_type: "bert", architectures: ["BertForMaskedLM"], ...BERT_BASE, vocab_size: 30522 },
};

/** RoBERTa-base masked language model (mask token `<mask>`). */
export const ROBERTA_BASE_MLM: RecommendedModel = {
  id: "Xenova/roberta-base",
  architecture: "RoBERTa",
  family: "encoder",
  parameters: 125e6,
  languages: ["en"],
  license: "MIT",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "English, trained on more and web-crawled text than BERT; its mask token is <mask>.",
  config: { model_type: "roberta", architectures: ["RobertaForMaskedLM"], ...ROBERTA_BASE, vocab_size: 50265 },
};

/** XLM-RoBERTa-base masked language model, 100 languages. */
export const XLM_ROBERTA_BASE: RecommendedModel = {
  id: "Xenova/xlm-roberta-base",
  architecture: "XLM-RoBERTa",
  family: "encoder",
  parameters: 278e6,
  languages: ["en", "de", "fr", "es", "it", "pt", "nl", "ru", "pl", "tr", "ar", "hi", "zh", "ja", "ko", "vi"],
  languageCount: 100,
  license: "MIT",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "100 languages (CommonCrawl); most of its size is the 250k-token vocabulary.",
  config: { model_type: "xlm-roberta", architectures: ["XLMRobertaForMaskedLM"], ...ROBERTA_BASE, vocab_size: 250002 },
};

/** ModernBERT-base: an English encoder with an 8192-token window. */
export const MODERNBERT_BASE: RecommendedModel = {
  id: "answerdotai/ModernBERT-base",
  architecture: "ModernBERT",
  family: "encoder",
  parameters: 149e6,
  languages: ["en"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 8192,
  approximate: false,
  note: "Long-context English encoder (8192 tokens, rotary positions); a base model to fine-tune for long-document classification.",
  config: {
    model_type: "modernbert",
    architectures: ["ModernBertForMaskedLM"],
    vocab_size: 50368,
    hidden_size: 768,
    intermediate_size: 1152,
    num_hidden_layers: 22,
    num_attention_heads: 12,
    max_position_embeddings: 8192,
  },
};
