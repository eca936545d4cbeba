import {
  BERT_BASE_NER,
  BERT_BASE_UNCASED,
  BERT_MULTILINGUAL_NER,
  BERT_MULTILINGUAL_SENTIMENT,
  DISTILBERT_SQUAD_CASED,
  DISTILBERT_SQUAD_UNCASED,
  DISTILBERT_SST2,
  MODERNBERT_BASE,
  ROBERTA_BASE_MLM,
  XLM_ROBERTA_BASE,
} from "../models/encoder-models.js";
import {
  ALL_MINILM_L6_V2,
  BGE_RERANKER_BASE,
  BGE_SMALL_EN_V15,
  DISTILBERT_MNLI,
  MS_MARCO_MINILM_L6_V2,
  MULTILINGUAL_E5_SMALL,
} from "../models/embedding-models.js";
import { DISTILGPT2, GPT2, LLAMA32_1B_INSTRUCT, QWEN25_05B_INSTRUCT, SMOLLM2_135M_INSTRUCT } from "../models/decoder-models.js";
import {
  BART_LARGE_CNN,
  DISTILBART_CNN_6_6,
  FLAN_T5_SMALL,
  M2M100_418M,
  NLLB_200_600M,
  OPUS_MT_EN_DE,
  T5_SMALL,
} from "../models/seq2seq-models.js";
import { ChooserError } from "../errors.js";
import { type CanonicalTask, resolveTask, TASK_ALIASES } from "./task-names.js";
import type { TaskRow } from "./types.js";

const ENCODERS = ["BERT", "RoBERTa", "DistilBERT"] as const;
const DECODERS = ["GPT-2", "LLaMA", "Qwen", "Gemma"] as const;
const SEQ2SEQ = ["T5", "BART", "Marian"] as const;

function aliasesOf(task: CanonicalTask): string[] {
  const aliases: string[] = Object.entries(TASK_ALIASES)
    .filter(([, t]) => t === task)
    .map(([a]) => a);
  return task === "translation" ? [...aliases, "translation_<from>_to_<to>"] : aliases;
}

const ENCODER_WHY =
  "Bidirectional attention reads the whole text at once, so every token's representation sees its left and right context: " +
  "exactly what labelling a text, its tokens or a span needs. One forward pass, no generation loop: fast and cheap.";

/**
 * The task table: for every task, the family that serves it and why, the default model, recommended ONNX-ready
 * Hub models, the package function, and the long-input strategy. The docs' "Choosing an architecture" table is
 * generated from it.
 *
 * @example
 * for (const row of TASK_TABLE) console.log(row.task, row.family, row.defaultModel);
 */
export const TASK_TABLE: readonly TaskRow[] = [
  {
    task: "text-classification",
    title: "Sentiment / text classification",
    aliases: aliasesOf("text-classification"),
    family: "encoder",
    alternativeFamilies: [],
    architectures: ENCODERS,
    why: `${ENCODER_WHY} A classification head on the first token gives one score per label.`,
    defaultModel: DISTILBERT_SST2.id,
    embeddedModel: "sentiment",
    servedBy: { package: "@proj/encoder", function: "classify", handle: "createClassifier", cli: "proj classify" },
    models: [DISTILBERT_SST2, BERT_MULTILINGUAL_SENTIMENT],
    longInput: "window",
  },
  {
    task: "token-classification",
    title: "Named-entity recognition (token classification)",
    aliases: aliasesOf("token-classification"),
    family: "encoder",
    alternativeFamilies: [],
    architectures: ENCODERS,
    why: `${ENCODER_WHY} A label per token, with character offsets, becomes entities.`,
    defaultModel: BERT_BASE_NER.id,
    embeddedModel: "ner",
    servedBy: { package: "@proj/encoder", function: "ner", handle: "createTokenClassifier", cli: "proj ner" },
    models: [BERT_BASE_NER, BERT_MULTILINGUAL_NER],
    longInput: "window",
  },
  {
    task: "question-answering",
    title: "Extractive question answering",
    aliases: aliasesOf("question-answering"),
    family: "encoder",
    alternativeFamilies: [],
    architectures: ENCODERS,
    why: `${ENCODER_WHY} Start and end scores over the context pick the answer span, so the answer is always quoted from the text.`,
    defaultModel: DISTILBERT_SQUAD_CASED.id,
    servedBy: { package: "@proj/encoder", function: "answer", handle: "createQuestionAnswerer", cli: "proj qa" },
    models: [DISTILBERT_SQUAD_CASED, DISTILBERT_SQUAD_UNCASED],
    longInput: "window",
  },
  {
    task: "fill-mask",
    title: "Fill-mask (masked language modelling)",
    aliases: aliasesOf("fill-mask"),
    family: "encoder",
    alternativeFamilies: [],
    architectures: ENCODERS,
    why: "Encoders are pre-trained exactly on this: predict a masked token from both sides of its context.",
    defaultModel: BERT_BASE_UNCASED.id,
    embeddedModel: "fill-mask",
    servedBy: { package: "@proj/encoder", function: "fillMask", handle: "createFillMask", cli: "proj fill-mask" },
    models: [BERT_BASE_UNCASED, ROBERTA_BASE_MLM, XLM_ROBERTA_BASE, MODERNBERT_BASE],
    longInput: "local-context",
  },
  {
    task: "bias-audit",
    title: "Bias audit (fill-mask probes)",
    aliases: aliasesOf("bias-audit"),
    family: "encoder",
    alternativeFamilies: [],
    architectures: ENCODERS,
    why: 'A masked language model\'s completions of templates ("This {group} works as a [MASK].") show what it associates with each group, as probabilities.',
    defaultModel: BERT_BASE_UNCASED.id,
    embeddedModel: "fill-mask",
    servedBy: { package: "@proj/encoder", function: "auditBias", handle: "createFillMask", cli: "proj audit-bias" },
    models: [BERT_BASE_UNCASED, ROBERTA_BASE_MLM, XLM_ROBERTA_BASE],
    longInput: "local-context",
  },
  {
    task: "text-generation",
    title: "Text generation",
    aliases: aliasesOf("text-generation"),
    family: "decoder",
    alternativeFamilies: [],
    architectures: DECODERS,
    why:
      "Causal attention predicts the next token from the ones before it, and the KV cache makes each new token cost one step: " +
      "the natural shape for open-ended continuation and streaming.",
    defaultModel: DISTILGPT2.id,
    embeddedModel: "generation",
    servedBy: { package: "@proj/decoder", function: "generate", handle: "createGenerator", cli: "proj generate" },
    models: [DISTILGPT2, GPT2, SMOLLM2_135M_INSTRUCT, QWEN25_05B_INSTRUCT, LLAMA32_1B_INSTRUCT],
    longInput: "truncate-prompt",
  },
  {
    task: "chat",
    title: "Dialogue / chat",
    aliases: aliasesOf("chat"),
    family: "decoder",
    alternativeFamilies: [],
    architectures: DECODERS,
    why:
      "Instruction-tuned decoders are trained on conversations rendered with a chat template; the whole history is the prompt " +
      "and the answer streams token by token.",
    defaultModel: QWEN25_05B_INSTRUCT.id,
    servedBy: { package: "@proj/decoder", function: "chat", handle: "createGenerator", cli: "proj chat" },
    models: [QWEN25_05B_INSTRUCT, SMOLLM2_135M_INSTRUCT, LLAMA32_1B_INSTRUCT],
    longInput: "truncate-prompt",
  },
  {
    task: "generative-qa",
    title: "Generative question answering",
    aliases: aliasesOf("generative-qa"),
    family: "decoder",
    alternativeFamilies: ["encoder-decoder"],
    architectures: [...DECODERS, "T5 (Flan)"],
    why:
      "When the answer must be written rather than quoted (a summary, a yes/no, an answer from several places), an instruction-tuned " +
      "decoder or a Flan-T5 encoder-decoder generates it from the question and the context.",
    defaultModel: QWEN25_05B_INSTRUCT.id,
    servedBy: { package: "@proj/decoder", function: "chat", handle: "createGenerator", cli: "proj qa --generative" },
    models: [QWEN25_05B_INSTRUCT, FLAN_T5_SMALL, LLAMA32_1B_INSTRUCT],
    longInput: "truncate-prompt",
  },
  {
    task: "translation",
    title: "Translation",
    aliases: aliasesOf("translation"),
    family: "encoder-decoder",
    alternativeFamilies: [],
    architectures: SEQ2SEQ,
    why:
      "The encoder reads the whole source sentence in both directions once; the decoder writes the target attending to it " +
      "(cross-attention), so output length and word order are free to differ from the input's.",
    defaultModel: T5_SMALL.id,
    embeddedModel: "translation-en-de",
    embeddedDirection: { from: "en", to: "de" },
    servedBy: { package: "@proj/seq2seq", function: "translate", handle: "createTranslator", cli: "proj translate" },
    models: [T5_SMALL, OPUS_MT_EN_DE, M2M100_418M, NLLB_200_600M],
    longInput: "split-sentences",
  },
  {
    task: "summarization",
    title: "Summarization",
    aliases: aliasesOf("summarization"),
    family: "encoder-decoder",
    alternativeFamilies: [],
    architectures: SEQ2SEQ,
    why:
      "The encoder reads the whole document once; the decoder writes a shorter text attending to all of it, with beam search " +
      "and length controls.",
    defaultModel: DISTILBART_CNN_6_6.id,
    servedBy: { package: "@proj/seq2seq", function: "summarize", handle: "createSummarizer", cli: "proj summarize" },
    models: [DISTILBART_CNN_6_6, BART_LARGE_CNN, T5_SMALL],
    longInput: "chunk",
  },
  {
    task: "feature-extraction",
    title: "Embeddings (feature extraction)",
    aliases: aliasesOf("feature-extraction"),
    family: "encoder",
    alternativeFamilies: [],
    architectures: ENCODERS,
    why: `${ENCODER_WHY} Pooling the token vectors (mean or first token) gives one vector per text; trained contrastively, close vectors mean close meanings, for search and RAG.`,
    defaultModel: ALL_MINILM_L6_V2.id,
    embeddedModel: "embedding",
    servedBy: { package: "@proj/encoder", function: "embed", handle: "createEmbedder", cli: "proj embed" },
    models: [ALL_MINILM_L6_V2, BGE_SMALL_EN_V15, MULTILINGUAL_E5_SMALL],
    longInput: "window",
  },
  {
    task: "sentence-similarity",
    title: "Sentence similarity / semantic search",
    aliases: aliasesOf("sentence-similarity"),
    family: "encoder",
    alternativeFamilies: [],
    architectures: ENCODERS,
    why: `${ENCODER_WHY} Each text is embedded once; similarity is the cosine of two embeddings, so a corpus is embedded ahead and searched cheaply.`,
    defaultModel: ALL_MINILM_L6_V2.id,
    embeddedModel: "embedding",
    servedBy: { package: "@proj/encoder", function: "embed", handle: "createEmbedder", cli: "proj embed" },
    models: [ALL_MINILM_L6_V2, BGE_SMALL_EN_V15, MULTILINGUAL_E5_SMALL],
    longInput: "window",
  },
  {
    task: "text-ranking",
    title: "Reranking (cross-encoder text ranking)",
    aliases: aliasesOf("text-ranking"),
    family: "encoder",
    alternativeFamilies: [],
    architectures: ENCODERS,
    why: `${ENCODER_WHY} A cross-encoder reads the query and a document together and gives one relevance logit: more accurate than comparing embeddings, so it reorders the top candidates of a vector search.`,
    defaultModel: MS_MARCO_MINILM_L6_V2.id,
    servedBy: { package: "@proj/encoder", function: "rerank", handle: "createReranker", cli: "proj rerank" },
    models: [MS_MARCO_MINILM_L6_V2, BGE_RERANKER_BASE],
    longInput: "truncate",
  },
  {
    task: "zero-shot-classification",
    title: "Zero-shot classification",
    aliases: aliasesOf("zero-shot-classification"),
    family: "encoder",
    alternativeFamilies: [],
    architectures: ENCODERS,
    why: `${ENCODER_WHY} An NLI model judges whether the text entails "This example is {label}." for each label chosen at call time, with no training.`,
    defaultModel: DISTILBERT_MNLI.id,
    servedBy: { package: "@proj/encoder", function: "classifyZeroShot", handle: "createZeroShotClassifier", cli: "proj zero-shot" },
    models: [DISTILBERT_MNLI],
    longInput: "truncate",
  },
];

/**
 * The table row of a task, by any of its names (canonical, alias, `translation_xx_to_yy`).
 * Throws a {@link ChooserError} for an unknown task.
 *
 * @example
 * taskRow("sentiment-analysis").servedBy.function; // "classify"
 */
export function taskRow(task: string): TaskRow {
  const { task: canonical } = resolveTask(task);
  const row = TASK_TABLE.find((r) => r.task === canonical);
  if (!row) throw new ChooserError("UNKNOWN_TASK", `The task table has no row for "${canonical}"`, "this is a bug in @proj/chooser");
  return row;
}
