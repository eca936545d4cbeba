import { InputError, OverloadedError } from "../../errors.js";
import type { MetricsRecorder } from "../../metrics/generation-metrics.js";
import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { DecoderCache } from "../cache/decoder-cache.js";
import type { PinnedPrefix, PrefixCache } from "../cache/prefix-cache.js";
import { type CompiledGrammar, compileResponseFormat } from "../constraint/compiled-grammar.js";
import type { RowConstraint } from "../constraint/row-constraint.js";
import { RowText } from "../loop/row-text.js";
import type { ResolvedDecodingOptions } from "../options.js";
import { buildProcessors } from "../processors/build-processors.js";
import { applyProcessors, type LogitsProcessor } from "../processors/logits-processor.js";
import type { DecoderRunner, PromptRow } from "../runner/decoder-runner.js";
import { createRng, type Rng } from "../sampling/rng.js";
import { Sampler } from "../sampling/sampler.js";
import { argmax } from "../sampling/top-candidates.js";
import { SequenceState } from "../sequence-state.js";
import { logprobBuffer, StepLogprobs } from "../logprobs/step-logprobs.js";
import type { TokenLogprob } from "../logprobs/token-logprob.js";
import type { FinishReason, GeneratedSequence, TokenEvent } from "../types.js";

/** One generation request for the {@link ContinuousBatcher}: one prompt, its own options and stream. */
export interface BatchRequest {
  /** The prompt (or encoder input). */
  prompt: PromptRow;
  /** The ids penalties and n-gram rules see as already present. */
  context: readonly number[];
  /** Validated options (`numBeams` must be 1: beam search runs on its own). */
  options: ResolvedDecodingOptions;
  /** Decodes generated ids. */
  tokenizer: Tokenizer;
  /** Called for each generated token (`input` is always 0). */
  onToken?: (event: TokenEvent) => void;
  /** Records this request's timings. */
  metrics?: MetricsRecorder;
  /** `options.responseFormat` compiled for the tokenizer (compiled at admission when missing). */
  grammar?: CompiledGrammar | undefined;
  /** Reuse and fill the batcher's prefix cache for this prompt. @defaultValue true */
  cachePrompt?: boolean | undefined;
  /**
   * Called just before the request resolves, with its first sequence's key/values (prompt and generated tokens) stored
   * in the prefix cache and pinned there for the caller, who must {@link PrefixCache.release} them (a chat session
   * keeping its history). A request that fails releases them itself.
   */
  keepCache?: ((pinned: PinnedPrefix) => void) | undefined;
}

/** Limits of a {@link ContinuousBatcher}. */
export interface BatcherOptions {
  /** Most sequences decoded together. @defaultValue 16 */
  maxSequences?: number;
  /** Most tokens in flight (prompt + maxNewTokens of every running sequence), bounding cache memory. @defaultValue Infinity */
  maxTokens?: number;
  /** Most requests waiting; more are refused with {@link OverloadedError}. @defaultValue Infinity */
  maxQueue?: number;
  /** Called after every decode step with the number of sequences in it (for metrics). */
  onStep?: (batchSize: number) => void;
  /** Prompts reuse the key/values of cached prefixes and leave theirs for later requests (decoder-only models). */
  prefixCache?: PrefixCache | undefined;
}

interface Job {
  request: BatchRequest;
  processors: LogitsProcessor[];
  eos: Set<number>;
  rng: Rng;
  submitted: number;
  rows: Row[];
  tokens: number;
  /** Set when the caller's `onToken` threw: the job leaves the batch and rejects with it. */
  failed?: { error: unknown };
  /** The first sequence's key/values, pinned for `keepCache`: handed over when the job resolves, released otherwise. */
  pinned?: PinnedPrefix;
  resolve: (sequences: GeneratedSequence[]) => void;
  reject: (error: unknown) => void;
}

interface Row {
  job: Job;
  sequence: number;
  state: SequenceState;
  text: RowText;
  /** The row's place in the response format's grammar, when the request has one. */
  constraint: RowConstraint | undefined;
  next: number;
  /** Tokens the grammar forced after `next` (jump-forward), fed with it at the next step. */
  forced: number[];
  finish: FinishReason | undefined;
  /** With `logprobs`: one entry per appended token. */
  logprobs: TokenLogprob[] | undefined;
}

/**
 * Continuous batching: concurrent requests share one running batch. A new request is prefilled and joins at
 * the next step boundary; a finished sequence leaves and its cache rows are freed; each request keeps its own
 * decoding options, seed, stop strings and stream. Admission is FIFO within `maxSequences` and `maxTokens`;
 * the queue is bounded by `maxQueue`.
 *
 * @example
 * const batcher = new ContinuousBatcher(new CausalRunner(session, config), { maxSequences: 16 });
 * const [a, b] = await Promise.all([batcher.submit(requestA), batcher.submit(requestB)]);
 */
export class ContinuousBatcher {
  readonly #logprobBuffer = logprobBuffer();
  readonly #runner: DecoderRunner;
  readonly #maxSequences: number;
  readonly #maxTokens: number;
  readonly #maxQueue: number;
  readonly #onStep: ((batchSize: number) => void) | undefined;
  readonly #prefixCache: PrefixCache | undefined;
  readonly #queue: Job[] = [];
  #rows: Row[] = [];
  #cache: DecoderCache | undefined;
  #sampler: Sampler | undefined;
  #loop: Promise<void> | undefined;

  constructor(runner: DecoderRunner, options: BatcherOptions = {}) {
    this.#runner = runner;
    this.#maxSequences = options.maxSequences ?? 16;
    this.#maxTokens = options.maxTokens ?? Number.POSITIVE_INFINITY;
    this.#maxQueue = options.maxQueue ?? Number.POSITIVE_INFINITY;
    this.#onStep = options.onStep;
    this.#prefixCache = options.prefixCache;
  }

  /** The prefix cache prompts share, when this batcher has one. */
  get prefixCache(): PrefixCache | undefined {
    return this.#prefixCache;
  }

  /** Sequences decoding now. */
  get running(): number {
    return this.#rows.length;
  }

  /** Requests waiting to join. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Queues a request; resolves with its sequences (`numReturnSequences` of them) when they all finish.
   * Throws {@link OverloadedError} when the queue is full.
   */
  submit(request: BatchRequest): Promise<GeneratedSequence[]> {
    const o = request.options;
    if (o.numBeams > 1) throw new InputError("Beam search cannot join a continuous batch", { hint: "run beam search with runEngine()" });
    const tokens = (request.prompt.inputIds.length + o.maxNewTokens) * o.numReturnSequences;
    if (o.numReturnSequences > this.#maxSequences || tokens > this.#maxTokens) {
      throw new InputError(
        `The request needs ${o.numReturnSequences} sequences and ${tokens} tokens in flight; this batcher allows ${this.#maxSequences} and ${this.#maxTokens}`,
        { hint: "lower numReturnSequences or maxNewTokens, or shorten the prompt" },
      );
    }
    if (this.#queue.length >= this.#maxQueue) {
      throw new OverloadedError(`The generation queue is full (${this.#maxQueue} waiting)`, { hint: "retry later", retryAfterMs: 1000 });
    }
    return new Promise<GeneratedSequence[]>((resolve, reject) => {
      this.#queue.push({
        request,
        processors: buildProcessors(o),
        eos: new Set(o.eosTokenIds),
        rng: createRng(o.seed),
        submitted: performance.now(),
        rows: [],
        tokens,
        resolve,
        reject,
      });
      this.#loop ??= Promise.resolve().then(() => this.#run());
    });
  }

  async #run(): Promise<void> {
    try {
      while (this.#queue.length > 0 || this.#rows.length > 0) {
        await this.#admit();
        if (this.#rows.length === 0 || !this.#cache) continue;
        const { cache, logits } = await this.#step(this.#cache);
        this.#onStep?.(this.#rows.length);
        this.#cache = cache;
        const { kept, finished } = await this.#choose(this.#rows, logits);
        this.#keep(this.#rows, cache);
        if (kept.length < this.#rows.length) {
          this.#cache = this.#cache.gather(kept).trimPadding(16);
          this.#rows = kept.map((k) => this.#rows[k] as Row);
        }
        // Results go out once their rows have left the batch, so running/queued are exact when a caller resumes.
        await this.#completeAll(finished);
      }
    } catch (error) {
      const jobs = new Set([...this.#rows.map((r) => r.job), ...this.#queue.splice(0)]);
      for (const job of jobs) this.#fail(job, error);
      this.#rows = [];
      this.#cache = undefined;
    } finally {
      this.#loop = undefined;
      if (this.#queue.length > 0) this.#loop = Promise.resolve().then(() => this.#run());
    }
  }

  /** Prefills the requests that fit, FIFO, chooses their first tokens, and joins them to the running batch. */
  async #admit(): Promise<void> {
    const admitted: Job[] = [];
    let rows = this.#rows.length;
    let tokens = this.#rows.reduce((n, r) => n + r.job.tokens / r.job.request.options.numReturnSequences, 0);
    // Cancelled requests leave the queue at every step boundary, wherever they wait (not only at its head).
    for (const job of this.#queue.filter((j) => j.request.options.signal?.aborted)) {
      this.#queue.splice(this.#queue.indexOf(job), 1);
      const n = job.request.options.numReturnSequences;
      job.resolve(Array.from({ length: n }, () => ({ tokenIds: [], text: "", finishReason: "abort" as const })));
    }
    while (this.#queue.length > 0) {
      const job = this.#queue[0] as Job;
      const n = job.request.options.numReturnSequences;
      if (rows + n > this.#maxSequences || tokens + job.tokens > this.#maxTokens) break;
      this.#queue.shift();
      admitted.push(job);
      rows += n;
      tokens += job.tokens;
    }
    if (admitted.length === 0) return;
    // Grammar matchers first: a request whose response format fails leaves alone, before the others are prefilled.
    const settled = await Promise.allSettled(admitted.map((job) => rowConstraints(job.request)));
    const constraints: (RowConstraint | undefined)[][] = [];
    for (let i = admitted.length - 1; i >= 0; i--) {
      const outcome = settled[i] as PromiseSettledResult<(RowConstraint | undefined)[]>;
      if (outcome.status === "fulfilled") constraints.unshift(outcome.value);
      else {
        (admitted[i] as Job).reject(outcome.reason);
        admitted.splice(i, 1);
      }
    }
    if (admitted.length === 0) return;
    for (const job of admitted) job.request.metrics?.admitted();
    let prefill: Awaited<ReturnType<DecoderRunner["prefill"]>>;
    try {
      prefill = await this.#runner.prefill(admitted.map((j) => this.#withCachedPrefix(j.request)));
    } catch (error) {
      for (const job of admitted) job.reject(error);
      for (const rows of constraints) for (const c of rows) c?.dispose();
      return;
    }
    admitted.forEach((job, i) => {
      if (this.#prefixCache && job.request.cachePrompt !== false) this.#prefixCache.store(prefill.cache, i);
    });
    const expand: number[] = [];
    const newRows: Row[] = [];
    admitted.forEach((job, i) => {
      job.request.metrics?.prefilled();
      const o = job.request.options;
      for (let s = 0; s < o.numReturnSequences; s++) {
        expand.push(i);
        const row: Row = {
          job,
          sequence: s,
          state: new SequenceState(job.request.context, o.noRepeatNgramSize),
          text: new RowText(job.request.tokenizer, o.stop, job.request.onToken !== undefined, job.request.context),
          constraint: constraints[i]?.[s],
          next: 0,
          forced: [],
          finish: undefined,
          logprobs: o.topLogprobs === undefined ? undefined : [],
        };
        job.rows.push(row);
        newRows.push(row);
      }
    });
    const repeated = expand.length !== admitted.length;
    const logits = repeated ? expand.map((i) => Float32Array.from(prefill.logits[i] as Float32Array)) : prefill.logits;
    const cache = repeated ? prefill.cache.gather(expand) : prefill.cache;
    let chosen: { kept: number[]; finished: Job[] };
    try {
      chosen = await this.#choose(newRows, logits);
    } catch (error) {
      for (const job of admitted) this.#fail(job, error);
      return;
    }
    const { kept, finished } = chosen;
    this.#keep(newRows, cache);
    if (kept.length > 0) {
      const joined = kept.length < newRows.length ? cache.gather(kept) : cache;
      this.#cache = this.#cache && this.#rows.length > 0 ? DecoderCache.concat([this.#cache, joined]) : joined;
      this.#rows = [...this.#rows, ...kept.map((k) => newRows[k] as Row)];
    }
    await this.#completeAll(finished);
  }

  /** One decode step: each row's chosen token, and the tokens the grammar forced after it when there are any. */
  #step(cache: DecoderCache): ReturnType<DecoderRunner["step"]> {
    const rows = this.#rows;
    if (!rows.some((r) => r.forced.length > 0) || !this.#runner.stepTokens) {
      return this.#runner.step(
        cache,
        rows.map((r) => r.next),
      );
    }
    const tokens = rows.map((r) => [r.next, ...r.forced]);
    for (const row of rows) row.forced = [];
    return this.#runner.stepTokens(cache, tokens);
  }

  /**
   * Jump-forward: appends the tokens of the text the row's grammar forces from here (tokenized alone), each accepted by
   * the grammar, streamed and counted like generated tokens, to be fed at the next step in one pass with the chosen one.
   */
  async #jumpForward(row: Row): Promise<void> {
    const { job, constraint } = row;
    const o = job.request.options;
    if (!constraint) return;
    const text = constraint.forcedText();
    if (text === "") return;
    const ids = (await job.request.tokenizer.encode(text, { addSpecialTokens: false })).ids;
    for (const id of ids) {
      if (row.state.generatedLength >= o.maxNewTokens || job.eos.has(id) || !constraint.accept(id)) return;
      row.state.append(id);
      row.forced.push(id);
      const delta = await row.text.push(id);
      job.request.onToken?.({ input: 0, sequence: row.sequence, tokenId: id, text: delta });
      if (row.text.stopped) return;
    }
  }

  /** The request's prompt with the key/values of its longest cached prefix, when the prefix cache has one. */
  #withCachedPrefix(request: BatchRequest): PromptRow {
    if (!this.#prefixCache || request.cachePrompt === false) return request.prompt;
    const past = this.#prefixCache.lookup(request.prompt.inputIds);
    request.metrics?.cached(past?.length ?? 0);
    return past ? { ...request.prompt, past } : request.prompt;
  }

  /** Pins the key/values of first sequences that just ended, for their request's `keepCache` (`cache` rows align with `rows`). */
  #keep(rows: readonly Row[], cache: DecoderCache): void {
    rows.forEach((row, k) => {
      const { job } = row;
      if (!job.request.keepCache || job.pinned || row.sequence !== 0 || row.finish === undefined || job.failed || !this.#prefixCache)
        return;
      job.pinned = this.#prefixCache.store(cache, k, { pin: true });
    });
  }

  /** Rejects a job, freeing what it holds: its rows' grammar matchers and its pinned key/values. */
  #fail(job: Job, error: unknown): void {
    for (const row of job.rows) row.constraint?.dispose();
    if (job.pinned) this.#prefixCache?.release(job.pinned);
    job.pinned = undefined;
    job.reject(error);
  }

  /** Picks the next token of each row; returns the indexes of rows still running and the jobs now finished. */
  async #choose(rows: readonly Row[], logits: readonly Float32Array[]): Promise<{ kept: number[]; finished: Job[] }> {
    const now = performance.now();
    const stepped = new Set<MetricsRecorder>();
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k] as Row;
      const { job } = row;
      if (job.failed) continue;
      const o = job.request.options;
      const rowLogits = logits[k] as Float32Array;
      // Log-probabilities are the raw model's: read before the processors and the mask change the logits.
      const step = o.topLogprobs === undefined ? undefined : StepLogprobs.read(rowLogits, o.topLogprobs, this.#logprobBuffer);
      applyProcessors(job.processors, rowLogits, row.state);
      // The grammar masks last, over the processors: what it forbids can never be chosen.
      if (row.constraint) {
        try {
          await row.constraint.mask(rowLogits);
        } catch (error) {
          // A format the vocabulary cannot spell fails that request alone.
          job.failed = { error };
          for (const r of job.rows) r.finish ??= "abort";
          continue;
        }
      }
      const token = o.doSample && o.temperature > 0 ? this.#samplerFor(rowLogits.length).sample(rowLogits, o, job.rng) : argmax(rowLogits);
      row.next = token;
      if (job.request.metrics && !stepped.has(job.request.metrics)) {
        stepped.add(job.request.metrics);
        job.request.metrics.step();
      }
      if (job.eos.has(token)) {
        row.finish = "stop";
        continue;
      }
      if (row.constraint && !row.constraint.accept(token)) {
        job.failed = { error: new Error(`internal error: the grammar refused token ${token}, which its mask allowed`) };
        for (const r of job.rows) r.finish ??= "abort";
        continue;
      }
      row.state.append(token);
      const logprob = step?.entry(token, job.request.tokenizer);
      if (logprob) row.logprobs?.push(logprob);
      const delta = await row.text.push(token);
      try {
        job.request.onToken?.({ input: 0, sequence: row.sequence, tokenId: token, text: delta, ...(logprob ? { logprob } : {}) });
      } catch (error) {
        // The caller's callback threw: that request fails alone, the others in the batch go on.
        job.failed = { error };
        for (const r of job.rows) r.finish ??= "abort";
        continue;
      }
      if (row.text.stopped || row.constraint?.terminated) row.finish = "stop";
      else if (row.state.generatedLength >= o.maxNewTokens) row.finish = "length";
      else if (o.jumpForward && row.constraint && step === undefined && this.#runner.stepsTokenRuns) {
        try {
          await this.#jumpForward(row);
        } catch (error) {
          job.failed = { error };
          for (const r of job.rows) r.finish ??= "abort";
          continue;
        }
        if (row.text.stopped) row.finish = "stop";
        else if (row.state.generatedLength >= o.maxNewTokens) row.finish = "length";
      }
    }
    const kept: number[] = [];
    const finishedJobs = new Set<Job>();
    rows.forEach((row, k) => {
      const o = row.job.request.options;
      if (row.finish === undefined && o.signal?.aborted) row.finish = "abort";
      if (row.finish === undefined && o.maxTime !== undefined && now - row.job.submitted >= o.maxTime) row.finish = "length";
      if (row.finish === undefined) kept.push(k);
      else if (row.job.rows.every((r) => r.finish !== undefined)) finishedJobs.add(row.job);
    });
    return { kept, finished: [...finishedJobs] };
  }

  async #completeAll(jobs: readonly Job[]): Promise<void> {
    for (const job of jobs) await this.#complete(job);
  }

  async #complete(job: Job): Promise<void> {
    if (job.failed) {
      this.#fail(job, job.failed.error);
      return;
    }
    for (const row of job.rows) row.constraint?.dispose();
    try {
      const sequences: GeneratedSequence[] = [];
      for (const row of job.rows) {
        const tokenIds = row.state.generated;
        sequences.push({
          tokenIds,
          text: await row.text.finish(tokenIds),
          finishReason: row.finish ?? "length",
          ...(row.logprobs ? { logprobs: row.logprobs } : {}),
        });
      }
      // The pinned key/values go to their holder only with a result; a throwing holder fails the request alone.
      if (job.pinned) job.request.keepCache?.(job.pinned);
      job.pinned = undefined;
      job.resolve(sequences);
    } catch (error) {
      this.#fail(job, error);
    }
  }

  #samplerFor(vocab: number): Sampler {
    if (!this.#sampler) this.#sampler = new Sampler(vocab);
    return this.#sampler;
  }
}

/** One matcher per returned sequence of a request with a response format (none without). */
async function rowConstraints(request: BatchRequest): Promise<(RowConstraint | undefined)[]> {
  const { responseFormat, numReturnSequences, eosTokenIds } = request.options;
  if (!responseFormat) return [];
  const grammar = request.grammar ?? (await compileResponseFormat(request.tokenizer, responseFormat));
  const made = await Promise.allSettled(Array.from({ length: numReturnSequences }, () => grammar.matcher(eosTokenIds)));
  const failed = made.find((m) => m.status === "rejected");
  if (!failed) return made.map((m) => (m as PromiseFulfilledResult<RowConstraint>).value);
  // One matcher failed: the others are freed before the request fails.
  for (const m of made) if (m.status === "fulfilled") m.value.dispose();
  throw failed.reason;
}
