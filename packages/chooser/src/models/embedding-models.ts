import type { RecommendedModel } from "../tasks/types.js";

/** MiniLM-L6-H384 (BERT shape): 6 layers, hidden 384, 12 heads, BERT's uncased vocabulary. */
const MINILM_L6 = {
  model_type: "bert",
  hidden_size: 384,
  intermediate_size: 1536,
  num_hidden_layers: 6,
  num_attention_heads: 12,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  vocab_size: 30522,
};

/** sentence-transformers' all-MiniLM-L6-v2: English sentence embeddings, mean pooling, normalized. The default of `embed`. */
export const ALL_MINILM_L6_V2: RecommendedModel = {
  id: "Xenova/all-MiniLM-L6-v2",
  architecture: "BERT (MiniLM)",
  family: "encoder",
  parameters: 22.7e6,
  languages: ["en"],
  embeddingDimensions: 384,
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 256,
  approximate: false,
  note: "384-dimensional English sentence embeddings (mean pooling, normalized), trained on 1B sentence pairs; inputs up to 256 word pieces (max_seq_length). Small and fast: the usual first choice for semantic search.",
  config: { ...MINILM_L6, architectures: ["BertModel"] },
};

/** BAAI's bge-small-en-v1.5: English retrieval embeddings, CLS pooling, a query instruction. */
export const BGE_SMALL_EN_V15: RecommendedModel = {
  id: "Xenova/bge-small-en-v1.5",
  architecture: "BERT",
  family: "encoder",
  parameters: 33.4e6,
  languages: ["en"],
  embeddingDimensions: 384,
  license: "MIT",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: '384-dimensional English embeddings (CLS pooling, normalized) for retrieval; prefix queries with "Represent this sentence for searching relevant passages: " (passages without).',
  config: { ...MINILM_L6, num_hidden_layers: 12, architectures: ["BertModel"] },
};

/** intfloat's multilingual-e5-small: about 100 languages, "query: " / "passage: " prefixes. */
export const MULTILINGUAL_E5_SMALL: RecommendedModel = {
  id: "Xenova/multilingual-e5-small",
  architecture: "BERT (XLM-R vocabulary)",
  family: "encoder",
  parameters: 118e6,
  languages: ["en", "de", "fr", "es", "zh", "ja", "ar", "ru", "hi", "pt"],
  languageCount: 100,
  embeddingDimensions: 384,
  license: "MIT",
  commercialUse: true,
  contextTokens: 512,
  approximate: true,
  note: '384-dimensional multilingual embeddings (mean pooling, normalized), 12 layers; every input starts with "query: " or "passage: " (promptName "query" / "passage"), including non-English text. Most of its size is the 250k-token vocabulary.',
  config: { ...MINILM_L6, num_hidden_layers: 12, vocab_size: 250037, architectures: ["BertModel"] },
};

/** The MS MARCO cross-encoder MiniLM-L-6-v2: English passage reranking. The default of `rerank`. */
export const MS_MARCO_MINILM_L6_V2: RecommendedModel = {
  id: "Xenova/ms-marco-MiniLM-L-6-v2",
  architecture: "BERT (MiniLM)",
  family: "encoder",
  parameters: 22.7e6,
  languages: ["en"],
  license: "Apache-2.0",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "English query-passage relevance (one logit) trained on MS MARCO: NDCG@10 74.30 on TREC DL 19, MRR@10 39.01 on MS MARCO dev (model card). Fast enough to rerank the top 100 of a vector search.",
  config: { ...MINILM_L6, architectures: ["BertForSequenceClassification"], id2label: { 0: "LABEL_0" } },
};

/** BAAI's bge-reranker-base: Chinese and English reranking on XLM-RoBERTa base. */
export const BGE_RERANKER_BASE: RecommendedModel = {
  id: "Xenova/bge-reranker-base",
  architecture: "XLM-RoBERTa",
  family: "encoder",
  parameters: 278e6,
  languages: ["en", "zh"],
  license: "MIT",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "Chinese and English cross-encoder (one logit); pairs well with the BGE embedding models. Larger and slower than the MiniLM reranker.",
  config: {
    model_type: "xlm-roberta",
    architectures: ["XLMRobertaForSequenceClassification"],
    hidden_size: 768,
    intermediate_size: 3072,
    num_hidden_layers: 12,
    num_attention_heads: 12,
    max_position_embeddings: 514,
    type_vocab_size: 1,
    vocab_size: 250002,
    id2label: { 0: "LABEL_0" },
  },
};

/** DistilBERT fine-tuned on MultiNLI: English NLI for zero-shot classification. The default of `classifyZeroShot`. */
export const DISTILBERT_MNLI: RecommendedModel = {
  id: "Xenova/distilbert-base-uncased-mnli",
  architecture: "DistilBERT",
  family: "encoder",
  parameters: 67e6,
  languages: ["en"],
  license: "not stated (model card of typeform/distilbert-base-uncased-mnli)",
  commercialUse: true,
  contextTokens: 512,
  approximate: false,
  note: "English natural-language inference (entailment, neutral, contradiction) from MultiNLI; small enough for zero-shot classification on a CPU. Its model card states no license: check before commercial use.",
  config: {
    model_type: "distilbert",
    architectures: ["DistilBertForSequenceClassification"],
    dim: 768,
    hidden_dim: 3072,
    n_layers: 6,
    n_heads: 12,
    max_position_embeddings: 512,
    vocab_size: 30522,
    id2label: { 0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION" },
  },
};
