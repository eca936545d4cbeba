import type { GenerationConfig } from "../config/generation-config.js";
import type { PinnedPrefix } from "./cache/prefix-cache.js";
import type { GenerationMetrics, MetricsRecorder } from "../metrics/generation-metrics.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import { beamSearch } from "./beam/beam-search.js";
import { compileResponseFormat } from "./constraint/compiled-grammar.js";
import { type DecodingOptions, type ModelLimits, type ResolvedDecodingOptions, resolveDecodingOptions } from "./options.js";
import type { GenerationResult } from "./result.js";
import type { DecoderRunner, PromptRow } from "./runner/decoder-runner.js";
import { ContinuousBatcher } from "./scheduler/continuous-batcher.js";
import type { EngineRequest, GeneratedSequence, TokenEvent } from "./types.js";

/** Decoding options of one generative call, with its token callback. */
export interface GenerationCallOptions extends DecodingOptions {
  /** Called for every generated token (`event.input` is the index of the input in the call); not with beam search. */
  onToken?: (event: TokenEvent) => void;
}

/** What a handle decodes with: its runner, and the continuous batcher its greedy and sampling rows join. */
export interface GenerationEngine {
  /** Forward passes of the model (decoder-only or encoder-decoder). */
  runner: DecoderRunner;
  /** The handle's running batch; without one, the call's rows are batched among themselves only. */
  batcher?: ContinuousBatcher | undefined;
}

/** Everything {@link generateRows} needs for one call. */
export interface GenerateRowsRequest {
  /** The handle's engine. */
  engine: GenerationEngine;
  /** Decodes generated ids to text. */
  tokenizer: Tokenizer;
  /** The model's generation defaults (`generation_config.json`, with a task's `task_specific_params` over it). */
  generationConfig: GenerationConfig;
  /** Vocabulary size and end-of-sequence ids of the model. */
  limits: ModelLimits;
  /** Encoded inputs, one per row: the prompt (decoder-only) or the encoder input (encoder-decoder). */
  inputs: readonly (readonly number[])[];
  /** Encoder-decoder models: the decoder's first token. Omitted for decoder-only models. */
  decoderStart?: number | undefined;
  /** The call's decoding options (over the generation config), its signal and token callback. */
  options: GenerationCallOptions;
  /** Fits a decoder-only prompt to the model's context once `maxNewTokens` is known (may throw, may cut). */
  fit?: ((ids: readonly number[], resolved: ResolvedDecodingOptions) => readonly number[]) | undefined;
  /** Beam search: most inputs searched together (inputs of similar length go together). @defaultValue all */
  beamBatchSize?: number | undefined;
  /** Records the call's timings. */
  metrics: MetricsRecorder;
  /** Reuse and fill the handle's prefix cache. @defaultValue true */
  cachePrompt?: boolean | undefined;
  /** Receives each input's key/values pinned in the prefix cache (see {@link EngineRequest.keepCache}). */
  keepCache?: EngineRequest["keepCache"];
}

/** The sequences of a call, per input, and how many prompt tokens were read. */
export interface DecodedRows {
  /** Per input, its sequences (best first for beam search). */
  sequences: GeneratedSequence[][];
  /** Prompt (or encoder input) tokens read, after fitting. */
  promptTokens: number;
}

/**
 * The one generation path of every generative task: resolves the call's decoding options against the model's
 * generation config, then decodes every input: beam search (`numBeams > 1`) beside the batcher, greedy and sampled
 * rows in the handle's continuous batcher (so concurrent calls on one handle decode together), with `onToken`
 * events carrying each input's index and the call's signal cancelling its rows (a signal that fired before the rows
 * start ends them with finish reason `"abort"`; callers that must throw `AbortError` instead check it first).
 *
 * @example
 * const { sequences, promptTokens } = await decodeRows({ engine, tokenizer, generationConfig, limits, inputs, options, metrics });
 */
export async function decodeRows(request: GenerateRowsRequest): Promise<DecodedRows> {
  const { options, inputs, decoderStart } = request;
  const { onToken, ...decoding } = options;
  // An encoder-decoder's decoder prefix is the start token, so max_length/min_length count it, as in transformers.
  const promptLength = decoderStart !== undefined ? 1 : Math.max(0, ...inputs.map((ids) => ids.length));
  const resolved = resolveDecodingOptions(
    request.generationConfig,
    withinLimit(request.generationConfig, decoding),
    request.limits,
    promptLength,
  );
  const fitted = request.fit ? inputs.map((ids) => request.fit?.(ids, resolved) ?? ids) : inputs;
  request.metrics.tokenized();
  const rows = fitted.map((ids) =>
    decoderStart !== undefined
      ? { prompt: { inputIds: ids, decoderInputIds: [decoderStart] }, context: [decoderStart] }
      : { prompt: { inputIds: ids }, context: ids },
  );
  const sequences = await runRows(
    request.engine,
    {
      prompts: rows.map((r) => r.prompt),
      contexts: rows.map((r) => r.context),
      options: resolved,
      tokenizer: request.tokenizer,
      metrics: request.metrics,
      cachePrompt: request.cachePrompt,
      keepCache: request.keepCache,
      ...(onToken ? { onToken } : {}),
    },
    request.beamBatchSize,
  );
  return { sequences, promptTokens: fitted.reduce((n, ids) => n + ids.length, 0) };
}

/**
 * Decodes prepared rows with resolved options (a `responseFormat` is compiled for the tokenizer first, cached): beam search (`numBeams > 1`) `beamBatchSize` inputs at a time (those of
 * similar length together), otherwise every row joins the engine's continuous batcher (a private one when the engine
 * has none). Results come back in input order; `onToken` events carry the input's index.
 *
 * @example
 * const sequences = await runRows({ runner, batcher }, { prompts, contexts, options: resolved, tokenizer, metrics });
 */
export async function runRows(engine: GenerationEngine, request: EngineRequest, beamBatchSize?: number): Promise<GeneratedSequence[][]> {
  const { prompts, contexts, options, onToken } = request;
  const grammar =
    request.grammar ?? (options.responseFormat ? await compileResponseFormat(request.tokenizer, options.responseFormat) : undefined);
  if (options.numBeams > 1) {
    const size = beamBatchSize ?? prompts.length;
    const order = prompts.map((_, i) => i).sort((a, b) => (prompts[a]?.inputIds.length ?? 0) - (prompts[b]?.inputIds.length ?? 0));
    const out: GeneratedSequence[][] = new Array(prompts.length);
    for (let from = 0; from < order.length; from += size) {
      const rows = order.slice(from, from + size);
      const sequences = await beamSearch(engine.runner, {
        prompts: rows.map((r) => prompts[r] as PromptRow),
        contexts: rows.map((r) => contexts[r] ?? []),
        options,
        tokenizer: request.tokenizer,
        metrics: request.metrics,
        grammar,
      });
      rows.forEach((r, k) => {
        out[r] = sequences[k] ?? [];
      });
    }
    return out;
  }
  const batcher = engine.batcher ?? new ContinuousBatcher(engine.runner, { maxSequences: Number.POSITIVE_INFINITY });
  return Promise.all(
    prompts.map((prompt, input) =>
      batcher.submit({
        prompt,
        context: contexts[input] ?? [],
        options,
        tokenizer: request.tokenizer,
        metrics: request.metrics,
        grammar,
        cachePrompt: request.cachePrompt,
        ...(request.keepCache ? { keepCache: (pinned: PinnedPrefix) => request.keepCache?.(pinned, input) } : {}),
        ...(onToken ? { onToken: (event: TokenEvent) => onToken({ ...event, input }) } : {}),
      }),
    ),
  );
}

/**
 * {@link decodeRows}, then the results: one {@link GenerationResult} per input, sharing the call's metrics.
 *
 * @example
 * const results = await generateRows({ engine, tokenizer: model.tokenizer, generationConfig: model.generationConfig, limits, inputs, options, metrics: new MetricsRecorder() });
 */
export async function generateRows(request: GenerateRowsRequest): Promise<GenerationResult[]> {
  const { sequences, promptTokens } = await decodeRows(request);
  return toResults(sequences, request.metrics.finish(promptTokens, generatedTokens(sequences)));
}

/**
 * Shapes engine sequences into results (the best sequence's text, ids and finish reason), all sharing `metrics`.
 *
 * @example
 * const results = toResults(sequences, metrics.finish(promptTokens, generatedTokens(sequences)));
 */
export function toResults(sequences: readonly GeneratedSequence[][], metrics: GenerationMetrics): GenerationResult[] {
  return sequences.map((seqs) => {
    const best: GeneratedSequence = seqs[0] ?? { text: "", tokenIds: [], finishReason: "abort" };
    const { text, tokenIds, finishReason, logprobs } = best;
    return { text, tokenIds, finishReason, sequences: [...seqs], metrics, ...(logprobs ? { logprobs } : {}) };
  });
}

/**
 * Counts generated tokens over every sequence of every input.
 *
 * @example
 * generatedTokens([[{ tokenIds: [1, 2], text: "ab", finishReason: "stop" }]]); // 2
 */
export function generatedTokens(sequences: readonly (readonly GeneratedSequence[])[]): number {
  return sequences.reduce((n, seqs) => n + seqs.reduce((m, s) => m + s.tokenIds.length, 0), 0);
}

/**
 * A minimum length that comes from the model's config (summarization models often say `min_length: 56`) yields to a
 * smaller `maxNewTokens` the caller asked for, as in transformers, instead of making the options invalid.
 *
 * @example
 * withinLimit({ minLength: 56 }, { maxNewTokens: 10 }); // { maxNewTokens: 10, minNewTokens: 10 }
 */
export function withinLimit<O extends DecodingOptions>(config: GenerationConfig, options: O): O {
  if (options.minNewTokens !== undefined || options.maxNewTokens === undefined) return options;
  const fromConfig = config.minNewTokens ?? (config.minLength !== undefined ? Math.max(config.minLength - 1, 0) : 0);
  return fromConfig > options.maxNewTokens ? { ...options, minNewTokens: options.maxNewTokens } : options;
}
