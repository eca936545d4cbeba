import type { GenerationMetrics, PrefixCacheStats } from "@proj/decoder";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Options of {@link ServerMetrics}.
 *
 * @example
 * const metrics = new ServerMetrics({ prefix: "llm_", processMetrics: false });
 */
export interface ServerMetricsOptions {
  /** Prefix of every metric name. @defaultValue "proj_" */
  prefix?: string;
  /** Also publish Node's process metrics (memory, CPU, event-loop lag, GC). @defaultValue true */
  processMetrics?: boolean;
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const TOKENS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
/** Tokens of one task request: up to 256 texts of a 512-token window. */
const TASK_TOKENS = [...TOKENS, 8192, 16384, 32768, 65536, 131072];
const BATCH = [1, 2, 4, 8, 16, 32, 64, 128];

/**
 * What one task request (embed, rerank, classify ...) gave the model, for {@link ServerMetrics.observeTask}.
 *
 * @example
 * metrics.observeTask("feature-extraction", { inputs: 4, tokens: 57, seconds: 0.012 });
 */
export interface TaskUsage {
  /** Texts, or text pairs (a query and a document, a text and a hypothesis), the model read. */
  inputs: number;
  /** Their tokens, special tokens included, when counted. */
  tokens?: number;
  /** How long the model took, in seconds. */
  seconds: number;
}

/**
 * The server's Prometheus metrics, the set TGI publishes: request count and duration, queue time, time to first
 * token, inter-token latency, input and generated tokens, batch size and queue size; and for the task endpoints
 * (embeddings, reranking, classification ... in any wire format) requests by task and status, model time, texts
 * and tokens, each labelled with the chooser's canonical task name. Create one before the
 * generator when you bring your own, and pass {@link ServerMetrics.onStep} as its `batching.onStep`, so the
 * batch-size metrics see every decode step.
 *
 * @example
 * const metrics = new ServerMetrics();
 * const generator = await createGenerator("./models/gpt2", { batching: { maxSequences: 16, onStep: metrics.onStep } });
 * const server = await createServer({ generator, metrics });
 */
export class ServerMetrics {
  /** The prom-client registry holding these metrics (add your own to it). */
  readonly registry = new Registry();
  readonly #requests: Counter<"endpoint" | "status">;
  readonly #duration: Histogram<"endpoint">;
  readonly #queue: Histogram;
  #queueProbe: (() => number) | undefined;
  readonly #ttft: Histogram;
  readonly #itl: Histogram;
  readonly #generated: Histogram;
  readonly #generatedTotal: Counter;
  readonly #input: Histogram;
  readonly #batch: Histogram;
  readonly #taskRequests: Counter<"task" | "status">;
  readonly #taskDuration: Histogram<"task">;
  readonly #taskInputs: Counter<"task">;
  readonly #taskTokens: Histogram<"task">;
  readonly #cachedTokens: Counter;
  #prefixProbe: (() => PrefixCacheStats | undefined) | undefined;
  #lastBatch = 0;
  #sequencesInFlight = 0;
  #requestsInFlight = 0;

  constructor(options: ServerMetricsOptions = {}) {
    const p = options.prefix ?? "proj_";
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: `${p}requests_total`,
      help: "HTTP requests answered, by endpoint and status",
      labelNames: ["endpoint", "status"],
      registers,
    });
    this.#duration = new Histogram({
      name: `${p}request_duration_seconds`,
      help: "Time from receiving a request to its last byte",
      labelNames: ["endpoint"],
      buckets: SECONDS,
      registers,
    });
    this.#queue = new Histogram({
      name: `${p}request_queue_duration_seconds`,
      help: "Time a generation waited to join the running batch",
      buckets: SECONDS,
      registers,
    });
    this.#ttft = new Histogram({
      name: `${p}request_time_to_first_token_seconds`,
      help: "Time from a generation's start to its first token",
      buckets: SECONDS,
      registers,
    });
    this.#itl = new Histogram({
      name: `${p}request_inter_token_latency_seconds`,
      help: "Mean time between generated tokens of a request (TPOT)",
      buckets: SECONDS,
      registers,
    });
    this.#generated = new Histogram({
      name: `${p}request_generated_tokens`,
      help: "Tokens generated per request",
      buckets: TOKENS,
      registers,
    });
    this.#generatedTotal = new Counter({ name: `${p}generated_tokens_total`, help: "Tokens generated over all requests", registers });
    this.#input = new Histogram({ name: `${p}request_input_tokens`, help: "Prompt tokens per request", buckets: TOKENS, registers });
    this.#cachedTokens = new Counter({
      name: `${p}request_cached_tokens_total`,
      help: "Prompt tokens served from the prefix cache instead of being prefilled, over all requests",
      registers,
    });
    const prefix = (read: (s: PrefixCacheStats) => number) => () => {
      const stats = this.#prefixProbe?.();
      return stats ? read(stats) : 0;
    };
    const gauges: Array<[string, string, (s: PrefixCacheStats) => number]> = [
      ["prefix_cache_lookups", "Prompts looked up in the prefix cache", (s) => s.lookups],
      ["prefix_cache_hits", "Prompts that reused at least one cached block", (s) => s.hits],
      [
        "prefix_cache_hit_rate",
        "Share of looked-up prompt tokens served from the prefix cache",
        (s) => (s.promptTokens > 0 ? s.cachedTokens / s.promptTokens : 0),
      ],
      ["prefix_cache_bytes", "Bytes of key/values the prefix cache holds", (s) => s.bytes],
      ["prefix_cache_blocks", "Blocks the prefix cache holds", (s) => s.blocks],
      ["prefix_cache_pinned_blocks", "Blocks pinned by chat sessions", (s) => s.pinnedBlocks],
      ["prefix_cache_evictions", "Blocks evicted from the prefix cache", (s) => s.evictions],
    ];
    for (const [name, help, read] of gauges) {
      const value = prefix(read);
      new Gauge({
        name: `${p}${name}`,
        help,
        registers,
        collect() {
          this.set(value());
        },
      });
    }
    this.#batch = new Histogram({
      name: `${p}batch_size`,
      help: "Sequences decoded together, one observation per decode step",
      buckets: BATCH,
      registers,
    });
    this.#taskRequests = new Counter({
      name: `${p}task_requests_total`,
      help: "Task requests (embed, rerank, classify ...) answered, by task and HTTP status, in any wire format",
      labelNames: ["task", "status"],
      registers,
    });
    this.#taskDuration = new Histogram({
      name: `${p}task_duration_seconds`,
      help: "Time the model took for a task request, by task",
      labelNames: ["task"],
      buckets: SECONDS,
      registers,
    });
    this.#taskInputs = new Counter({
      name: `${p}task_inputs_total`,
      help: "Texts (or text pairs) read by the model for task requests, by task",
      labelNames: ["task"],
      registers,
    });
    this.#taskTokens = new Histogram({
      name: `${p}task_input_tokens`,
      help: "Input tokens per task request (special tokens included, before truncation), by task",
      labelNames: ["task"],
      buckets: TASK_TOKENS,
      registers,
    });
    const self = this;
    new Gauge({
      name: `${p}batch_current_size`,
      help: "Sequences in the running batch at its last decode step",
      registers,
      collect() {
        this.set(self.#sequencesInFlight === 0 ? 0 : self.#lastBatch);
      },
    });
    new Gauge({
      name: `${p}queue_size`,
      help: "Sequences waiting to join the running batch",
      registers,
      collect() {
        this.set(self.queued);
      },
    });
    new Gauge({
      name: `${p}requests_in_flight`,
      help: "HTTP requests being answered",
      registers,
      collect() {
        this.set(self.#requestsInFlight);
      },
    });
  }

  /** Pass as `batching.onStep` of the generator: records the batch size of every decode step. */
  readonly onStep = (batchSize: number): void => {
    this.#lastBatch = batchSize;
    this.#batch.observe(batchSize);
  };

  /**
   * Requests waiting to join the batch, as the generator's batcher counts them; before {@link ServerMetrics.watchQueue}
   * is called, estimated as sequences in flight less those in the last decode step.
   */
  get queued(): number {
    if (this.#queueProbe) return this.#queueProbe();
    return Math.max(0, this.#sequencesInFlight - (this.#sequencesInFlight === 0 ? 0 : this.#lastBatch));
  }

  /** Reads the queue size from the generator's batcher (exact) instead of estimating it. */
  watchQueue(probe: () => number): void {
    this.#queueProbe = probe;
  }

  /** Reads the prefix cache's counters from the generator, for the `prefix_cache_*` gauges. */
  watchPrefixCache(probe: () => PrefixCacheStats | undefined): void {
    this.#prefixProbe = probe;
  }

  /** Sequences of the generations in flight (running or waiting). */
  get sequencesInFlight(): number {
    return this.#sequencesInFlight;
  }

  /** The batch size of the last decode step (0 when nothing is in flight). */
  get batchSize(): number {
    return this.#sequencesInFlight === 0 ? 0 : this.#lastBatch;
  }

  /** Marks the start of an HTTP request; call the returned function when its response closes. */
  requestStarted(): (endpoint: string, status: string, seconds: number) => void {
    this.#requestsInFlight++;
    return (endpoint, status, seconds) => {
      this.#requestsInFlight--;
      this.#requests.inc({ endpoint, status });
      this.#duration.observe({ endpoint }, seconds);
    };
  }

  /** Counts a task request answered with `status` (the HTTP status, `"499"` when the client left first). */
  taskAnswered(task: string, status: string): void {
    this.#taskRequests.inc({ task, status });
  }

  /** Records what a task request gave the model: its inputs, their tokens (when counted) and the model's time. */
  observeTask(task: string, usage: TaskUsage): void {
    this.#taskDuration.observe({ task }, usage.seconds);
    this.#taskInputs.inc({ task }, usage.inputs);
    if (usage.tokens !== undefined) this.#taskTokens.observe({ task }, usage.tokens);
  }

  /** Marks the start of a generation of `sequences` rows; call the returned function when it settles. */
  generationStarted(sequences: number): () => void {
    this.#sequencesInFlight += sequences;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#sequencesInFlight -= sequences;
    };
  }

  /** Records the timings and token counts of a finished generation call. */
  observeGeneration(metrics: GenerationMetrics): void {
    this.#queue.observe(metrics.queueMs / 1000);
    this.#ttft.observe(metrics.ttftMs / 1000);
    if (metrics.tpot && metrics.tpot.mean > 0) this.#itl.observe(metrics.tpot.mean / 1000);
    this.#generated.observe(metrics.generatedTokens);
    this.#generatedTotal.inc(metrics.generatedTokens);
    this.#input.observe(metrics.promptTokens);
    if (metrics.cachedTokens) this.#cachedTokens.inc(metrics.cachedTokens);
  }

  /** The metrics in Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of {@link ServerMetrics.render}'s output. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
