import type { ModelShape } from "../config/model-shape.js";
import { ChooserError } from "../errors.js";
import { bytesPerActivation, bytesPerWeight, type WeightDtype } from "./dtype.js";
import { countParameters } from "./parameters.js";

/**
 * What to estimate memory for.
 *
 * @example
 * const options: MemoryOptions = { batchSize: 8, sequenceLength: 1024, dtype: "q8" };
 */
export interface MemoryOptions {
  /** Sequences run together. @defaultValue 1 */
  batchSize?: number;
  /** Input tokens per sequence (prompt, text or window). @defaultValue 512, or the context length when smaller */
  sequenceLength?: number;
  /** Tokens generated per sequence (decoder and encoder-decoder models). @defaultValue 128 */
  outputLength?: number;
  /** Beams per sequence with beam search (each beam has its own KV cache). @defaultValue 1 */
  numBeams?: number;
  /** Weight format of the ONNX files. @defaultValue "fp32" */
  dtype?: WeightDtype;
}

/**
 * An estimate of the memory a model needs, in bytes. Weights are exact for the dtype (scales aside); the KV cache
 * is exact for the shapes; activations are the peak of one forward pass, roughly (the largest attention-score and
 * feed-forward buffers, and the logits, which ONNX exports return for every position). ONNX Runtime's arena and
 * Node.js itself add a few hundred megabytes on top.
 *
 * @example
 * const { totalBytes, kvCacheBytes } = describeConfig(config, { batchSize: 4, sequenceLength: 2048 }).memory;
 */
export interface MemoryEstimate {
  /** Sequences run together. */
  batchSize: number;
  /** Input tokens per sequence. */
  sequenceLength: number;
  /** Generated tokens per sequence (0 for encoder-only models). */
  outputLength: number;
  /** Beams per sequence. */
  numBeams: number;
  /** The weight format assumed. */
  dtype: WeightDtype;
  /** The weights. */
  weightsBytes: number;
  /** KV cache per token of one sequence (self-attention keys and values over every decoder layer). */
  kvCacheBytesPerToken: number;
  /** The whole KV cache at the end of generation: every sequence and beam, prompt and output (and cross-attention). */
  kvCacheBytes: number;
  /** Peak activations of one forward pass, including the logits. */
  activationsBytes: number;
  /** Weights + KV cache + activations. */
  totalBytes: number;
}

/**
 * Estimates the memory a model needs for a batch of sequences of a given length, KV cache included.
 *
 * @example
 * estimateMemory(modelShape(config), { batchSize: 1, sequenceLength: 4096, dtype: "q4" }).totalBytes;
 */
export function estimateMemory(shape: ModelShape, options: MemoryOptions = {}): MemoryEstimate {
  const dtype = options.dtype ?? "fp32";
  const batchSize = positiveInteger(options.batchSize ?? 1, "batchSize");
  const sequenceLength = positiveInteger(options.sequenceLength ?? Math.min(512, shape.contextTokens ?? 512), "sequenceLength");
  const generates = shape.family !== "encoder";
  const outputLength = generates ? positiveInteger(options.outputLength ?? 128, "outputLength") : 0;
  const numBeams = generates ? positiveInteger(options.numBeams ?? 1, "numBeams") : 1;
  const act = bytesPerActivation(dtype);
  const rows = batchSize * numBeams;

  const weightsBytes = Math.round(countParameters(shape).total * bytesPerWeight(dtype));
  const dec = shape.decoder;
  const kvCacheBytesPerToken = dec ? 2 * dec.layers * dec.kvHeads * dec.headDim * act : 0;
  let kvCacheBytes = 0;
  if (dec && shape.family === "decoder") kvCacheBytes = kvCacheBytesPerToken * rows * (sequenceLength + outputLength);
  if (dec && shape.family === "encoder-decoder") {
    // Self-attention over the output, cross-attention over the encoded input (both per decoder layer).
    kvCacheBytes = kvCacheBytesPerToken * rows * outputLength + 2 * dec.layers * dec.heads * dec.headDim * act * rows * sequenceLength;
  }

  const stack = shape.encoder ?? dec;
  const H = shape.hiddenSize;
  let activationsBytes = 0;
  if (stack) {
    // One layer's working set over the full input: hidden states, feed-forward inner states, attention scores.
    const inputRows = shape.family === "decoder" ? rows : batchSize;
    activationsBytes =
      inputRows * sequenceLength * (3 * H + stack.ffn) * act + inputRows * stack.heads * sequenceLength * sequenceLength * act;
  }
  if (shape.family === "decoder" || shape.head === "masked-lm") activationsBytes += rows * sequenceLength * shape.vocabSize * act;
  if (shape.family === "encoder-decoder") activationsBytes += rows * shape.vocabSize * act;

  return {
    batchSize,
    sequenceLength,
    outputLength,
    numBeams,
    dtype,
    weightsBytes,
    kvCacheBytesPerToken,
    kvCacheBytes,
    activationsBytes,
    totalBytes: weightsBytes + kvCacheBytes + activationsBytes,
  };
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ChooserError("INVALID_CONSTRAINT", `${name} must be a positive integer, got ${String(value)}`, `pass e.g. { ${name}: 1 }`);
  }
  return value;
}
