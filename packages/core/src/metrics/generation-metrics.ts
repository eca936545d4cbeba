/** Summary of a set of durations, in milliseconds. */
export interface DurationStats {
  mean: number;
  p50: number;
  p95: number;
}

/** Timings and counts of one generation call. All durations are in milliseconds. */
export interface GenerationMetrics {
  /** Tokens in the prompt(s). */
  promptTokens: number;
  /** Tokens generated, over all returned sequences. */
  generatedTokens: number;
  /**
   * Prompt tokens whose key/values came from the prefix cache instead of being prefilled (OpenAI's
   * `usage.prompt_tokens_details.cached_tokens`). Absent when unknown: a remote server that does not report it.
   */
  cachedTokens?: number;
  /** Time spent tokenizing the input. */
  tokenizeMs: number;
  /** Time spent waiting to join the running batch (continuous batching), after tokenization. */
  queueMs: number;
  /** Time of the prefill forward pass (whole prompt, building the cache), from admission to the batch. */
  prefillMs: number;
  /** Time of the decode steps after the prefill. */
  decodeMs: number;
  /** Time to first token: from the start of the call to the first generated token. */
  ttftMs: number;
  /**
   * Time per output token after the first (inter-token latency of the decode steps). Absent when it was not measured:
   * a remote generator's call that was not streamed sees no tokens arrive one by one.
   */
  tpot?: DurationStats;
  /** Generated tokens per second of generation (prefill + decode, queueing excluded). */
  tokensPerSecond: number;
  /** Wall time of the whole call. */
  totalMs: number;
  /**
   * Resident set size of the process that ran the model when the call ended, in bytes. Absent for a remote
   * generator: the model runs in another process, whose memory the client cannot see.
   */
  rssBytes?: number;
}

/**
 * Collects the timings of one generation call.
 *
 * @example
 * const recorder = new MetricsRecorder();
 * recorder.tokenized(); recorder.admitted(); recorder.prefilled(); recorder.step(); ... const metrics = recorder.finish(promptTokens, generated);
 */
export class MetricsRecorder {
  readonly #start = performance.now();
  #tokenized: number | undefined;
  #admitted: number | undefined;
  #prefilled: number | undefined;
  #firstToken: number | undefined;
  #lastStep: number | undefined;
  #cachedTokens = 0;
  readonly #intervals: number[] = [];

  /** Marks the end of tokenization. */
  tokenized(): void {
    this.#tokenized ??= performance.now();
  }

  /** Marks admission to the running batch (the end of queueing). */
  admitted(): void {
    this.tokenized();
    this.#admitted ??= performance.now();
  }

  /** Marks the end of the prefill. */
  prefilled(): void {
    this.admitted();
    this.#prefilled ??= performance.now();
  }

  /** Counts prompt tokens served from the prefix cache (called once per prompt looked up). */
  cached(tokens: number): void {
    this.#cachedTokens += tokens;
  }

  /** Marks a decoding step that produced tokens. */
  step(): void {
    const now = performance.now();
    if (this.#firstToken === undefined) this.#firstToken = now;
    else if (this.#lastStep !== undefined) this.#intervals.push(now - this.#lastStep);
    this.#lastStep = now;
  }

  /** The metrics of the call. */
  finish(promptTokens: number, generatedTokens: number): GenerationMetrics {
    const end = performance.now();
    const tokenized = this.#tokenized ?? end;
    const admitted = this.#admitted ?? tokenized;
    const prefilled = this.#prefilled ?? end;
    const generationMs = Math.max(end - admitted, 1e-6);
    return {
      promptTokens,
      generatedTokens,
      cachedTokens: this.#cachedTokens,
      tokenizeMs: tokenized - this.#start,
      queueMs: admitted - tokenized,
      prefillMs: prefilled - admitted,
      decodeMs: end - prefilled,
      ttftMs: (this.#firstToken ?? end) - this.#start,
      tpot: stats(this.#intervals),
      tokensPerSecond: (generatedTokens * 1000) / generationMs,
      totalMs: end - this.#start,
      rssBytes: process.memoryUsage.rss(),
    };
  }
}

/**
 * Mean, median and 95th percentile of durations (0 for an empty list).
 *
 * @example
 * stats([1, 2, 3]); // { mean: 2, p50: 2, p95: 3 }
 */
export function stats(values: readonly number[]): DurationStats {
  if (values.length === 0) return { mean: 0, p50: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, p50: at(0.5), p95: at(0.95) };
}
