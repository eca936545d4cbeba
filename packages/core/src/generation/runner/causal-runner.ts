import type { Tensor } from "onnxruntime-node";
import type { ModelConfig } from "../../config/model-config.js";
import { InputError } from "../../errors.js";
import type { ModelSession, TensorMap } from "../../session/model-session.js";
import { checkGraphIo } from "../../session/graph-io.js";
import { boolTensor, int64Tensor } from "../../session/tensors.js";
import { DecoderCache } from "../cache/decoder-cache.js";
import type { CachedPrefix } from "../cache/prefix-cache.js";
import type { DecoderRunner, PromptRow, StepResult } from "./decoder-runner.js";
import { emptyPast, type KvLayout, kvLayout, lastLogits } from "./kv-layout.js";

/** Options of {@link CausalRunner}. */
export interface CausalRunnerOptions {
  /** Reuse key/values between steps (the KV cache). `false` recomputes the whole sequence every step. @defaultValue true */
  useCache?: boolean;
  /** Id written into padding positions. @defaultValue 0 */
  padTokenId?: number;
}

/** Inputs a decoder-only graph may declare besides its `past_key_values.*`. */
const CAUSAL_FEEDS = new Set(["input_ids", "attention_mask", "position_ids", "use_cache_branch"]);

/**
 * Forward passes of a decoder-only model (GPT-2, LLaMA, Qwen, Gemma ... as Optimum exports them):
 * `input_ids`, `attention_mask`, `position_ids` when declared, and `past_key_values.{i}.key/value` in,
 * `logits` and `present.{i}.key/value` out. Prompts of different lengths are left-padded.
 *
 * @example
 * const runner = new CausalRunner(model.session("model"), model.config);
 * const { cache, logits } = await runner.prefill([{ inputIds: [464, 2068] }]);
 */
export class CausalRunner implements DecoderRunner {
  readonly #session: ModelSession;
  readonly #layout: KvLayout;
  readonly #useCache: boolean;
  readonly #padId: bigint;

  constructor(session: ModelSession, config: ModelConfig, options: CausalRunnerOptions = {}) {
    this.#session = session;
    checkGraphIo(session, {
      role: "decoder-only generation",
      feeds: (name) => CAUSAL_FEEDS.has(name) || name.startsWith("past_key_values"),
      required: ["input_ids", "attention_mask"],
      outputs: ["logits"],
      hint: "export the model with Optimum's text-generation-with-past task (optimum-cli export onnx --task text-generation-with-past)",
    });
    const shape = config.decoder;
    this.#layout = kvLayout(session, shape && { heads: shape.numKeyValueHeads, headDim: shape.headDim });
    this.#useCache = (options.useCache ?? true) && this.#layout.entries.length > 0;
    this.#padId = BigInt(options.padTokenId ?? 0);
  }

  async prefill(prompts: readonly PromptRow[], signal?: AbortSignal): Promise<StepResult> {
    const tokens = prompts.map((p) => {
      if (p.inputIds.length === 0) throw new InputError("A prompt has no tokens", { hint: "pass a non-empty prompt" });
      return [...p.inputIds];
    });
    const cached = this.#useCache ? prompts.flatMap((p, i) => (p.past && p.past.length < p.inputIds.length ? [i] : [])) : [];
    if (cached.length === 0) return this.#runFull(tokens, signal);
    // Prompts without a cached prefix prefill together; each one with a prefix prefills only its rest on that past.
    const fresh = tokens.flatMap((_, i) => (cached.includes(i) ? [] : [i]));
    const parts: StepResult[] = [];
    if (fresh.length > 0)
      parts.push(
        await this.#runFull(
          fresh.map((i) => tokens[i] as number[]),
          signal,
        ),
      );
    // A cached row is its past as a one-row cache with the rest of its prompt fed on top; where the graph takes
    // position ids, the cached rows go together (pasts joined left-padded, rests right-aligned, gaps masked).
    const pastRow = (i: number): DecoderCache => {
      const past = (prompts[i] as PromptRow).past as CachedPrefix;
      const fed = (tokens[i] as number[]).slice(0, past.length);
      return new DecoderCache(past.kv, new BigInt64Array(past.length).fill(1n), past.length, [past.length], [fed], undefined);
    };
    const rest = (i: number): number[] => (tokens[i] as number[]).slice(((prompts[i] as PromptRow).past as CachedPrefix).length);
    if (this.stepsTokenRuns) parts.push(await this.stepTokens(DecoderCache.concat(cached.map(pastRow)), cached.map(rest), signal));
    else for (const i of cached) parts.push(await this.stepTokens(pastRow(i), [rest(i)], signal));
    const order = [...fresh, ...cached];
    const joined = DecoderCache.concat(parts.map((p) => p.cache));
    const logits = parts.flatMap((p) => p.logits);
    // Back to the prompts' order: position k of the joined batch holds prompt order[k].
    const back = prompts.map((_, i) => order.indexOf(i));
    const inOrder = back.every((k, i) => k === i);
    return {
      cache: inOrder ? joined : joined.gather(back),
      logits: inOrder ? logits : back.map((k) => logits[k] as Float32Array),
    };
  }

  step(cache: DecoderCache, tokens: readonly number[], signal?: AbortSignal): Promise<StepResult> {
    return this.stepTokens(
      cache,
      tokens.map((t) => [t]),
      signal,
    );
  }

  get stepsTokenRuns(): boolean {
    return this.#useCache && this.#session.hasInput("position_ids");
  }

  /**
   * Feeds each row its new tokens in one pass. Rows with fewer tokens than the longest are padded between their past and
   * their new tokens (masked columns), so every row's last token is at the last position.
   *
   * @example
   * const { cache: next, logits } = await runner.stepTokens(cache, [[11], [11, 1438, 1298]]);
   */
  async stepTokens(cache: DecoderCache, tokens: readonly (readonly number[])[], signal?: AbortSignal): Promise<StepResult> {
    const rows = cache.rows;
    const history = cache.tokens.map((t, r) => [...t, ...(tokens[r] as readonly number[])]);
    if (!this.#useCache) return this.#runFull(history, signal);
    const past = cache.pastLength;
    const count = Math.max(...tokens.map((t) => t.length));
    const width = past + count;
    const mask = new BigInt64Array(rows * width);
    const ids = new BigInt64Array(rows * count).fill(this.#padId);
    const positions = new BigInt64Array(rows * count);
    for (let r = 0; r < rows; r++) {
      mask.set(cache.mask.subarray(r * past, (r + 1) * past), r * width);
      const row = tokens[r] as readonly number[];
      const pad = count - row.length;
      const start = cache.positions[r] as number;
      for (let i = 0; i < count; i++) positions[r * count + i] = BigInt(start + Math.max(0, i - pad));
      row.forEach((id, i) => {
        ids[r * count + pad + i] = BigInt(id);
        mask[r * width + past + pad + i] = 1n;
      });
    }
    const feeds: TensorMap = {
      input_ids: int64Tensor(ids, [rows, count]),
      attention_mask: int64Tensor(mask, [rows, width]),
    };
    if (this.#session.hasInput("position_ids")) feeds.position_ids = int64Tensor(positions, [rows, count]);
    if (this.#session.hasInput("use_cache_branch")) feeds.use_cache_branch = boolTensor([true]);
    for (const entry of this.#layout.entries) feeds[entry.past] = cache.selfKv.get(entry.past) as Tensor;
    const outputs = await this.#session.run(feeds, { signal });
    return {
      cache: new DecoderCache(
        this.#presents(outputs),
        mask,
        width,
        cache.positions.map((p, r) => p + (tokens[r] as readonly number[]).length),
        history,
        undefined,
      ),
      logits: lastLogits(outputs.logits, this.#session.file),
    };
  }

  /** One pass over whole (left-padded) sequences: the prefill, or every step without a cache. */
  async #runFull(tokens: number[][], signal: AbortSignal | undefined): Promise<StepResult> {
    const rows = tokens.length;
    const width = Math.max(...tokens.map((t) => t.length));
    const ids = new BigInt64Array(rows * width).fill(this.#padId);
    const mask = new BigInt64Array(rows * width);
    const positions = new BigInt64Array(rows * width).fill(1n);
    tokens.forEach((row, r) => {
      const pad = width - row.length;
      row.forEach((id, i) => {
        const at = r * width + pad + i;
        ids[at] = BigInt(id);
        mask[at] = 1n;
        positions[at] = BigInt(i);
      });
    });
    const feeds: TensorMap = {
      input_ids: int64Tensor(ids, [rows, width]),
      attention_mask: int64Tensor(mask, [rows, width]),
    };
    if (this.#session.hasInput("position_ids")) feeds.position_ids = int64Tensor(positions, [rows, width]);
    if (this.#session.hasInput("use_cache_branch")) feeds.use_cache_branch = boolTensor([false]);
    Object.assign(feeds, emptyPast(this.#layout.entries, rows));
    const outputs = await this.#session.run(feeds, { signal });
    const selfKv = this.#useCache ? this.#presents(outputs) : new Map<string, Tensor>();
    return {
      cache: new DecoderCache(
        selfKv,
        mask,
        width,
        tokens.map((t) => t.length),
        tokens,
        undefined,
      ),
      logits: lastLogits(outputs.logits, this.#session.file),
    };
  }

  #presents(outputs: TensorMap): Map<string, Tensor> {
    const selfKv = new Map<string, Tensor>();
    for (const entry of this.#layout.entries) selfKv.set(entry.past, outputs[entry.present] as Tensor);
    return selfKv;
  }
}
