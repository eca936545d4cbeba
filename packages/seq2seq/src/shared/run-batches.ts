import { type GeneratedSequence, type GenerationConfig, type GenerationMetrics, type LoadedModel, throwIfAborted } from "@proj/core";
import { type MetricsRecorder, resolveDecodingOptions, runEngine, type Seq2SeqRunner } from "@proj/core/internal";
import { checkBatchSize } from "./check-input.js";
import type { Seq2SeqCallOptions, Seq2SeqResult } from "./options.js";

/** One batch job: encoder inputs and how to decode them. @internal */
export interface BatchJob {
  model: LoadedModel;
  runner: Seq2SeqRunner;
  /** Encoder input ids, one row per text, special tokens included. */
  inputs: readonly (readonly number[])[];
  /** The generation defaults (generation_config.json with the task's params over it). */
  generationConfig: GenerationConfig;
  /** Call options (decoding options override the defaults). */
  options: Seq2SeqCallOptions;
  metrics: MetricsRecorder;
}

/**
 * Decodes every input with the engine, in batches of `batchSize` rows of similar length (less encoder padding);
 * results come back in input order, and `onToken` events carry the input's index in `inputs`.
 *
 * @internal
 */
export async function runBatches(job: BatchJob): Promise<GeneratedSequence[][]> {
  const { model, options } = job;
  throwIfAborted(options.signal);
  const batchSize = checkBatchSize(options.batchSize);
  const start = decoderStart(model);
  const limits = { vocabSize: model.config.vocabSize ?? model.tokenizer.vocabSize, eosTokenIds: model.config.eosTokenIds };
  // The decoder prefix is the start token, so generation_config's max_length/min_length count it, as in transformers.
  const resolved = resolveDecodingOptions(job.generationConfig, withinLimit(job.generationConfig, options), limits, 1);
  const order = job.inputs.map((_, i) => i).sort((a, b) => (job.inputs[a]?.length ?? 0) - (job.inputs[b]?.length ?? 0));
  const out: GeneratedSequence[][] = new Array(job.inputs.length);
  for (let from = 0; from < order.length; from += batchSize) {
    const rows = order.slice(from, from + batchSize);
    const onToken = options.onToken;
    const sequences = await runEngine(job.runner, {
      prompts: rows.map((r) => ({ inputIds: job.inputs[r] as number[], decoderInputIds: [start] })),
      contexts: rows.map(() => [start]),
      options: resolved,
      tokenizer: model.tokenizer,
      metrics: job.metrics,
      ...(onToken ? { onToken: (event) => onToken({ ...event, input: rows[event.input] as number }) } : {}),
    });
    rows.forEach((r, k) => {
      out[r] = sequences[k] ?? [];
    });
  }
  return out;
}

/**
 * A minimum length that comes from the model's config (summarization models often say `min_length: 56`) yields to a
 * smaller `maxNewTokens` the caller asked for, as in transformers, instead of making the options invalid.
 *
 * @internal
 */
export function withinLimit(config: GenerationConfig, options: Seq2SeqCallOptions): Seq2SeqCallOptions {
  if (options.minNewTokens !== undefined || options.maxNewTokens === undefined) return options;
  const fromConfig = config.minNewTokens ?? (config.minLength !== undefined ? Math.max(config.minLength - 1, 0) : 0);
  return fromConfig > options.maxNewTokens ? { ...options, minNewTokens: options.maxNewTokens } : options;
}

/**
 * The first decoder token: generation config's, else config's `decoder_start_token_id`, else BOS, else pad.
 *
 * @internal
 */
export function decoderStart(model: LoadedModel): number {
  return (
    model.generationConfig.decoderStartTokenId ??
    model.config.decoderStartTokenId ??
    model.config.bosTokenId ??
    model.config.padTokenId ??
    0
  );
}

/**
 * Shapes engine sequences into results, all sharing the call's metrics.
 *
 * @internal
 */
export function toResults(sequences: readonly GeneratedSequence[][], metrics: GenerationMetrics): Seq2SeqResult[] {
  return sequences.map((seqs) => {
    const best = seqs[0] ?? { text: "", tokenIds: [], finishReason: "abort" as const };
    return { text: best.text, tokenIds: best.tokenIds, finishReason: best.finishReason, sequences: [...seqs], metrics };
  });
}

/**
 * Counts generated tokens over all sequences.
 *
 * @internal
 */
export function generatedTokens(sequences: readonly GeneratedSequence[][]): number {
  return sequences.reduce((n, seqs) => n + seqs.reduce((m, s) => m + s.tokenIds.length, 0), 0);
}
