import { type GeneratedSequence, type GenerationConfig, type LoadedModel, throwIfAborted } from "@proj/core";
import {
  type BatcherOptions,
  ContinuousBatcher,
  decodeRows,
  type GenerationEngine,
  type MetricsRecorder,
  type ModelLimits,
  Seq2SeqRunner,
} from "@proj/core/internal";
import { checkBatchSize } from "./check-input.js";
import type { Seq2SeqCallOptions } from "./options.js";

/** What every seq2seq handle decodes with: the runner, its running batch, the decoder's first token. @internal */
export interface Seq2SeqEngine extends GenerationEngine {
  model: LoadedModel;
  runner: Seq2SeqRunner;
  batcher: ContinuousBatcher;
  /** The first decoder token. */
  decoderStart: number;
  limits: ModelLimits;
}

/**
 * The engine of a handle: a {@link Seq2SeqRunner} over the model's graphs and a continuous batcher over it, so that
 * the greedy and sampled rows of concurrent calls decode together.
 *
 * @internal
 */
export function seq2seqEngine(model: LoadedModel, batching: BatcherOptions = {}): Seq2SeqEngine {
  const runner = Seq2SeqRunner.fromModel(model);
  return {
    model,
    runner,
    batcher: new ContinuousBatcher(runner, { maxSequences: 16, ...batching }),
    decoderStart: decoderStart(model),
    limits: { vocabSize: model.config.vocabSize ?? model.tokenizer.vocabSize, eosTokenIds: model.config.eosTokenIds },
  };
}

/**
 * Decodes encoder inputs with core's one generation path; results in input order, `onToken` events carry the input's
 * index in `inputs`.
 *
 * @internal
 */
export async function decodeInputs(
  engine: Seq2SeqEngine,
  inputs: readonly (readonly number[])[],
  generationConfig: GenerationConfig,
  options: Seq2SeqCallOptions,
  metrics: MetricsRecorder,
): Promise<GeneratedSequence[][]> {
  const { batchSize, ...call } = options;
  throwIfAborted(call.signal); // fired while the texts were tokenized: the call throws AbortError, as it did before decoding
  const { sequences } = await decodeRows({
    engine,
    tokenizer: engine.model.tokenizer,
    generationConfig,
    limits: engine.limits,
    inputs,
    decoderStart: engine.decoderStart,
    options: call,
    beamBatchSize: checkBatchSize(batchSize),
    metrics,
  });
  return sequences;
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
