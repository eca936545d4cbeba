import type { ModelShape, StackShape } from "../config/model-shape.js";

/**
 * A model's parameters, counted from its config's shapes, by part.
 *
 * @example
 * const { total, embeddings } = countParameters(modelShape(config));
 */
export interface ParameterCount {
  /** Every parameter. */
  total: number;
  /** Token, position and token-type embeddings, and an untied output projection. */
  embeddings: number;
  /** The encoder layers (0 for decoder-only models). */
  encoderLayers: number;
  /** The decoder layers (0 for encoder-only models). */
  decoderLayers: number;
  /** The task head (classifier, masked-LM transform) and final norms. */
  head: number;
}

/**
 * Counts a model's parameters from its shapes: embeddings, attention (with grouped-query key/value heads),
 * feed-forward blocks (gated or not), norms, biases and the task head. Matches the published counts of common
 * models to within about 1% (position and relative-attention tables that are not learned are left out).
 *
 * @example
 * countParameters(modelShape(bertBaseConfig)).total; // ≈ 109.5e6
 */
export function countParameters(shape: ModelShape): ParameterCount {
  const H = shape.hiddenSize;
  const V = shape.vocabSize;
  const stacks = (shape.encoder ? 1 : 0) + (shape.decoder ? 1 : 0);
  const norm = shape.biases ? 2 * H : H;

  let embeddings = V * H + shape.typeVocabSize * H + shape.positionRows * H * stacks;
  const hasLmHead = shape.head === "lm";
  if (hasLmHead && !shape.tiedEmbeddings) embeddings += V * H;

  const encoderLayers = shape.encoder
    ? shape.encoder.layers * (attention(H, shape.encoder, shape.biases) + ffn(H, shape.encoder.ffn, shape) + 2 * norm)
    : 0;
  const cross = shape.family === "encoder-decoder";
  const decoderLayers = shape.decoder
    ? shape.decoder.layers *
      (attention(H, shape.decoder, shape.biases) * (cross ? 2 : 1) + ffn(H, shape.decoder.ffn, shape) + (cross ? 3 : 2) * norm)
    : 0;

  const head = stacks * norm + taskHead(shape);
  return { total: embeddings + encoderLayers + decoderLayers + head, embeddings, encoderLayers, decoderLayers, head };
}

function attention(H: number, s: StackShape, biases: boolean): number {
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const weights = H * q + 2 * H * kv + q * H;
  return weights + (biases ? q + 2 * kv + H : 0);
}

function ffn(H: number, inner: number, shape: ModelShape): number {
  return (shape.gated ? 3 : 2) * H * inner + (shape.biases ? inner + H : 0);
}

function taskHead(shape: ModelShape): number {
  const H = shape.hiddenSize;
  const labels = shape.labels.length;
  switch (shape.head) {
    case "sequence-classification":
      // A dense layer (BERT's pooler, RoBERTa's and DistilBERT's pre-classifier) then the classifier.
      return H * H + H + H * labels + labels;
    case "token-classification":
    case "question-answering":
      return H * labels + labels;
    case "masked-lm":
      // Transform (dense + norm) then the tied decoder with its own bias.
      return H * H + H + 2 * H + shape.vocabSize;
    default:
      return 0;
  }
}
