import type { Tensor } from "onnxruntime-node";
import type { ModelConfig } from "../../config/model-config.js";
import { InputError, ModelFormatError } from "../../errors.js";
import type { LoadedModel } from "../../model/load-model.js";
import type { ModelSession, TensorMap } from "../../session/model-session.js";
import { checkGraphIo } from "../../session/graph-io.js";
import { boolTensor, int64Tensor } from "../../session/tensors.js";
import { DecoderCache, type EncoderMemory } from "../cache/decoder-cache.js";
import type { DecoderRunner, PromptRow, StepResult } from "./decoder-runner.js";
import { emptyPast, type KvEntry, kvLayout, lastLogits } from "./kv-layout.js";
import { runEncoder } from "./seq2seq-encoder.js";
import { groupByLength, joinGroups, keepLast, memoryRows, onesMask } from "./seq2seq-rows.js";

/**
 * Options of {@link Seq2SeqRunner}.
 *
 * @example
 * const uncached = Seq2SeqRunner.fromModel(model, { useCache: false });
 */
export interface Seq2SeqRunnerOptions {
  /**
   * Reuse key/values between steps: the decoder self-attention cache grows by one position per step and the
   * cross-attention cache, computed on the first step, is reused. `false` recomputes the whole decoder prefix
   * every step. @defaultValue true
   */
  useCache?: boolean;
  /** Id written into encoder padding positions. @defaultValue config `pad_token_id`, else 0 */
  padTokenId?: number;
  /** First decoder id of rows that give no `decoderInputIds`. @defaultValue generation config's, then config's `decoder_start_token_id`, then `bos_token_id` */
  decoderStartTokenId?: number;
}

/** Inputs an encoder-decoder's decoder graph may declare besides its `past_key_values.*`. */
const DECODER_FEEDS = new Set(["input_ids", "encoder_attention_mask", "attention_mask", "encoder_hidden_states", "use_cache_branch"]);

/** The graphs one encoder-decoder export is made of. */
interface Graphs {
  encoder: ModelSession;
  /** Runs a whole decoder prefix without a past (`decoder_model`, or the merged graph with `use_cache_branch=false`). */
  full: ModelSession;
  /** Runs one token with the past (`decoder_with_past_model`, or the merged graph with `use_cache_branch=true`). */
  step: ModelSession | undefined;
}

/**
 * Forward passes of an encoder-decoder model (T5, BART, Marian, mBART, NLLB ... as Optimum exports them):
 * `encoder_model` once per input (right-padded batch), then the decoder step by step. Both layouts are run:
 * `decoder_model_merged` (`use_cache_branch` false on the first step, true after), or the older
 * `decoder_model` + `decoder_with_past_model`. The self-attention cache grows each step; the cross-attention
 * cache is taken from the first step and kept in {@link EncoderMemory.crossKv} (the merged graph's cache branch
 * outputs only empty placeholders for it), so beams ({@link DecoderCache.gather}) and joining batches
 * ({@link DecoderCache.concat}) carry it along.
 *
 * @example
 * const model = await loadModel("./models/t5-small");
 * const runner = Seq2SeqRunner.fromModel(model);
 * const { ids } = await model.tokenizer.encode("translate English to German: Hello");
 * const { cache, logits } = await runner.prefill([{ inputIds: ids }]);
 * const next = await runner.step(cache, [argmax(logits[0])]);
 */
export class Seq2SeqRunner implements DecoderRunner {
  readonly #graphs: Graphs;
  readonly #self: KvEntry[];
  readonly #cross: KvEntry[];
  readonly #useCache: boolean;
  readonly #padId: bigint;
  readonly #startId: number | undefined;

  /**
   * A runner over the graphs a model was loaded with: `encoder_model` with `decoder_model_merged`, or with
   * `decoder_model` (+ `decoder_with_past_model` for the cache).
   *
   * @example
   * const runner = Seq2SeqRunner.fromModel(await loadModel("./models/bart", { graphs: ["encoder_model", "decoder_model", "decoder_with_past_model"] }));
   */
  static fromModel(model: LoadedModel, options: Seq2SeqRunnerOptions = {}): Seq2SeqRunner {
    const label = model.source.label;
    const has = (graph: string): boolean => model.graphs.includes(graph);
    if (!has("encoder_model") || !(has("decoder_model_merged") || has("decoder_model"))) {
      throw new ModelFormatError(
        `${label} was opened with the graphs ${model.graphs.join(", ")}, which are not an encoder-decoder export`,
        {
          hint: 'an encoder-decoder needs "encoder_model" with "decoder_model_merged" (or "decoder_model" and "decoder_with_past_model")',
        },
      );
    }
    const merged = has("decoder_model_merged") ? model.session("decoder_model_merged") : undefined;
    const withPast = has("decoder_with_past_model") ? model.session("decoder_with_past_model") : undefined;
    const full = merged ?? model.session("decoder_model");
    const startId =
      options.decoderStartTokenId ??
      model.generationConfig.decoderStartTokenId ??
      model.config.decoderStartTokenId ??
      model.config.bosTokenId;
    return new Seq2SeqRunner({ encoder: model.session("encoder_model"), full, step: merged ?? withPast }, model.config, {
      ...options,
      ...(startId !== undefined ? { decoderStartTokenId: startId } : {}),
    });
  }

  private constructor(graphs: Graphs, config: ModelConfig, options: Seq2SeqRunnerOptions) {
    this.#graphs = graphs;
    const hint =
      "export the model with Optimum's text2text-generation-with-past task (optimum-cli export onnx --task text2text-generation-with-past)";
    checkGraphIo(graphs.encoder, {
      role: "an encoder-decoder's encoder",
      feeds: (name) => name === "input_ids" || name === "attention_mask",
      required: ["input_ids"],
      outputs: [],
      hint,
    });
    for (const session of new Set([graphs.full, graphs.step])) {
      if (!session) continue;
      checkGraphIo(session, {
        role: "an encoder-decoder's decoder",
        feeds: (name) => DECODER_FEEDS.has(name) || name.startsWith("past_key_values"),
        required: ["input_ids"],
        outputs: ["logits"],
        hint,
      });
    }
    const shape = config.decoder;
    const entries = graphs.step ? kvLayout(graphs.step, shape && { heads: shape.numKeyValueHeads, headDim: shape.headDim }).entries : [];
    this.#self = entries.filter((e) => !e.cross);
    this.#cross = entries.filter((e) => e.cross);
    this.#useCache = (options.useCache ?? true) && this.#self.length > 0;
    this.#padId = BigInt(options.padTokenId ?? config.padTokenId ?? 0);
    this.#startId = options.decoderStartTokenId;
    if (this.#useCache) {
      const outputs = new Set(graphs.full.outputNames);
      const missing = entries.map(firstStepOutput).filter((name) => !outputs.has(name));
      if (missing.length) {
        throw new ModelFormatError(`${graphs.full.file} does not output ${missing.join(", ")}, which the cached decoder needs`, {
          hint: "export the model with Optimum's text2text-generation-with-past task, or pass { useCache: false }",
        });
      }
    }
    for (const session of [graphs.full, graphs.step]) {
      if (session && !session.hasInput("input_ids")) {
        throw new ModelFormatError(`${session.file} has no "input_ids" input; it is not a decoder graph`);
      }
    }
  }

  /** True when steps reuse key/values (the graphs have a cache and `useCache` was not turned off). */
  get usesCache(): boolean {
    return this.#useCache;
  }

  /**
   * Runs the encoder over a batch of inputs (right-padded), once; the decoder reads the result every step.
   *
   * @example
   * const memory = await runner.encode([[8774, 1]]);
   */
  async encode(inputs: readonly (readonly number[])[], signal?: AbortSignal): Promise<EncoderMemory> {
    return runEncoder(this.#graphs.encoder, inputs, this.#padId, signal);
  }

  async prefill(prompts: readonly PromptRow[], signal?: AbortSignal): Promise<StepResult> {
    const decoderIds = prompts.map((p) => {
      const ids = p.decoderInputIds ?? (this.#startId !== undefined ? [this.#startId] : undefined);
      if (!ids) {
        throw new InputError("The model names no decoder start token and a prompt gives no decoderInputIds", {
          hint: "pass decoderStartTokenId to the runner, or decoderInputIds with each prompt",
        });
      }
      if (ids.length === 0)
        throw new InputError("decoderInputIds is empty", { hint: "start the decoder with at least one token (the decoder start token)" });
      return [...ids];
    });
    const memory = await this.encode(
      prompts.map((p) => p.inputIds),
      signal,
    );
    return this.#full(decoderIds, memory, this.#useCache, signal);
  }

  async step(cache: DecoderCache, tokens: readonly number[], signal?: AbortSignal): Promise<StepResult> {
    const memory = cache.encoder;
    if (!memory) throw new InputError("The cache has no encoder memory", { hint: "start sequences with this runner's prefill()" });
    if (tokens.length !== cache.rows) throw new InputError(`Got ${tokens.length} tokens for ${cache.rows} rows`);
    if (!this.#useCache || !memory.crossKv) {
      // Without a cache (or a cache without cross key/values), recompute the decoder over each row's whole prefix.
      return this.#full(
        cache.tokens.map((t, r) => [...t, tokens[r] as number]),
        memory,
        this.#useCache,
        signal,
      );
    }
    const groups = groupByLength(cache.positions);
    if (!groups) return this.#stepUniform(cache, tokens, signal);
    const results: StepResult[] = [];
    for (const rows of groups) {
      results.push(
        await this.#stepUniform(
          cache.gather(rows),
          rows.map((r) => tokens[r] as number),
          signal,
        ),
      );
    }
    return joinGroups(groups, results);
  }

  /** One step for rows whose decoder prefixes have the same length. */
  async #stepUniform(cache: DecoderCache, tokens: readonly number[], signal: AbortSignal | undefined): Promise<StepResult> {
    const session = this.#graphs.step as ModelSession;
    const memory = cache.encoder as EncoderMemory;
    const crossKv = memory.crossKv as Map<string, Tensor>;
    const rows = cache.rows;
    const length = cache.positions[0] ?? 0;
    const feeds = this.#encoderFeeds(session, memory);
    feeds.input_ids = int64Tensor(
      BigInt64Array.from(tokens, (t) => BigInt(t)),
      [rows, 1],
    );
    if (session.hasInput("use_cache_branch")) feeds.use_cache_branch = boolTensor([true]);
    for (const entry of this.#self) feeds[entry.past] = keepLast(cache.selfKv.get(entry.past) as Tensor, 2, length);
    for (const entry of this.#cross) feeds[entry.past] = crossKv.get(entry.past) as Tensor;
    const outputs = await session.run(feeds, { signal, outputs: ["logits", ...this.#self.map((e) => e.present)] });
    const selfKv = new Map<string, Tensor>();
    for (const entry of this.#self) selfKv.set(entry.past, outputs[entry.present] as Tensor);
    const history = cache.tokens.map((t, r) => [...t, tokens[r] as number]);
    return {
      cache: new DecoderCache(
        selfKv,
        onesMask(rows, length + 1),
        length + 1,
        history.map((t) => t.length),
        history,
        memory,
      ),
      logits: lastLogits(outputs.logits, session.file),
    };
  }

  /** Whole decoder prefixes in one pass each group of equal length: the first step, or every step without a cache. */
  async #full(tokens: number[][], memory: EncoderMemory, keep: boolean, signal: AbortSignal | undefined): Promise<StepResult> {
    const groups = groupByLength(tokens.map((t) => t.length));
    if (!groups) return this.#fullUniform(tokens, memory, keep, signal);
    const results: StepResult[] = [];
    for (const rows of groups) {
      results.push(
        await this.#fullUniform(
          rows.map((r) => tokens[r] as number[]),
          memoryRows(memory, rows),
          keep,
          signal,
        ),
      );
    }
    return joinGroups(groups, results);
  }

  async #fullUniform(tokens: number[][], memory: EncoderMemory, keep: boolean, signal: AbortSignal | undefined): Promise<StepResult> {
    const session = this.#graphs.full;
    const rows = tokens.length;
    const length = tokens[0]?.length ?? 0;
    const ids = new BigInt64Array(rows * length);
    tokens.forEach((row, r) => {
      row.forEach((id, i) => {
        ids[r * length + i] = BigInt(id);
      });
    });
    const feeds = this.#encoderFeeds(session, memory);
    feeds.input_ids = int64Tensor(ids, [rows, length]);
    if (session.hasInput("use_cache_branch")) feeds.use_cache_branch = boolTensor([false]);
    const pastInputs = session.inputs.filter((i) => i.name.startsWith("past_key_values")).map((i) => i.name);
    Object.assign(
      feeds,
      emptyPast(
        [...this.#self, ...this.#cross].filter((e) => pastInputs.includes(e.past)),
        rows,
      ),
    );
    const wanted = keep ? ["logits", ...this.#self.map(firstStepOutput), ...this.#cross.map(firstStepOutput)] : ["logits"];
    const outputs = await session.run(feeds, { signal, outputs: wanted });
    const selfKv = new Map<string, Tensor>();
    let crossKv: Map<string, Tensor> | undefined;
    if (keep) {
      for (const entry of this.#self) selfKv.set(entry.past, outputs[firstStepOutput(entry)] as Tensor);
      crossKv = new Map();
      for (const entry of this.#cross) crossKv.set(entry.past, outputs[firstStepOutput(entry)] as Tensor);
    }
    return {
      cache: new DecoderCache(
        selfKv,
        onesMask(rows, length),
        length,
        tokens.map(() => length),
        tokens,
        { ...memory, crossKv },
      ),
      logits: lastLogits(outputs.logits, session.file),
    };
  }

  /** `encoder_attention_mask` and, when the graph declares it, `encoder_hidden_states`. */
  #encoderFeeds(session: ModelSession, memory: EncoderMemory): TensorMap {
    const [rows = 0, width = 0] = memory.hiddenStates.dims;
    const feeds: TensorMap = {};
    const mask = int64Tensor(memory.mask, [rows, width]);
    if (session.hasInput("encoder_attention_mask")) feeds.encoder_attention_mask = mask;
    else if (session.hasInput("attention_mask")) feeds.attention_mask = mask;
    if (session.hasInput("encoder_hidden_states")) feeds.encoder_hidden_states = memory.hiddenStates;
    return feeds;
  }
}

/** The output of the first decoder step that fills a past input: `present.{i}.decoder.key` for `past_key_values.{i}.decoder.key`. */
function firstStepOutput(entry: KvEntry): string {
  return entry.past.replace(/^past_key_values/, "present");
}
