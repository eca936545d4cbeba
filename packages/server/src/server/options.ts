import type { LoadOptions, PrefixCacheOptions } from "@proj/core";
import { optionNames } from "@proj/core/internal";
import type { Generator } from "@proj/decoder";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { ServerSecurity } from "../security/server-security.js";
import type { TaskModels } from "../tasks/task-models.js";

/**
 * Limits of a server: how much work it takes on before it refuses (429, 503) or cuts (400, 408, 413, 504), and how
 * long it waits for slow clients. Each refusal is answered with an OpenAI error body and a stable `code`.
 *
 * @example
 * const limits: ServerLimits = { maxSequences: 32, maxQueue: 128, maxRequestSeconds: 120, headersTimeoutMs: 10_000, maxConnections: 512 };
 */
export interface ServerLimits {
  /**
   * Most sequences decoded together in the running batch (continuous batching). Applies when the server loads
   * the model (`model`); a `generator` you pass keeps its own `batching`. @defaultValue 16
   */
  maxSequences?: number;
  /** Most tokens in flight (prompt + max_tokens of every running sequence), bounding KV-cache memory. @defaultValue no limit */
  maxTokens?: number;
  /** Most generation requests waiting to join the batch; more are refused with 429 and `Retry-After`. @defaultValue 256 */
  maxQueue?: number;
  /** Largest request body, in bytes; larger bodies are refused with 413. @defaultValue 1 MiB */
  maxBodyBytes?: number;
  /** How long `close()` waits for in-flight requests before cancelling them, in milliseconds. @defaultValue 30000 */
  shutdownTimeoutMs?: number;
  /**
   * Most wall time of one request, queue wait included, in seconds: past it the work is cancelled (its batch rows
   * freed) and the request answered 504 `request_timeout`; a stream already started gets an error event and ends
   * without `[DONE]`. @defaultValue no limit
   */
  maxRequestSeconds?: number;
  /**
   * How long a client may take to send a request's headers, in milliseconds; past it the connection is answered
   * 408 `client_timeout` and closed, so a client dribbling its headers (slow loris) does not hold the connection.
   * @defaultValue 30000
   */
  headersTimeoutMs?: number;
  /** How long a client may take to send a whole request (headers and body), in milliseconds; past it 408 `client_timeout`. @defaultValue 60000 */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open between requests, in milliseconds. @defaultValue 72000 */
  keepAliveTimeoutMs?: number;
  /**
   * Most open connections; a request on a connection past the cap is answered 503 `too_many_connections` with
   * `Retry-After` and the connection closed. @defaultValue no limit
   */
  maxConnections?: number;
}

/**
 * Options of {@link createServer}: the generation model (a folder or Hub id to load, or a generator you made),
 * the task models, the limits, and how chat prompts are rendered.
 *
 * @example
 * const options: ServerOptions = { model: "./models/gpt2", maxSequences: 16, maxQueue: 64, tasks: { classify: "./models/sst2" } };
 */
export interface ServerOptions extends ServerLimits, ServerSecurity {
  /** A decoder-only model (folder or Hub id) for `/v1/completions` and `/v1/chat/completions`; loaded and disposed by the server. */
  model?: string;
  /**
   * Or a generator you created (and dispose yourself): a local one (`createGenerator`; pass {@link ServerMetrics.onStep}
   * as its `batching.onStep` for batch metrics) or a remote one (`createRemoteGenerator`), which this server then fronts.
   */
  generator?: Generator;
  /** The name clients send as `model`. @defaultValue the folder name, or the Hub id */
  modelId?: string;
  /** How models given by name are loaded (threads, dtype, device, Hub options), as every task function's `load`. */
  load?: LoadOptions;
  /**
   * Continuous batching of concurrent requests (on by default). `false` decodes one sequence at a time
   * (`maxSequences: 1`), the baseline that batching is measured against.
   */
  batching?: boolean;
  /**
   * The generator's prefix cache (when the server loads the model): prompt prefixes' key/values kept across requests,
   * so a shared system prompt or document is prefilled once. Options (`blockTokens`, `maxBytes`) or `false` for none;
   * a request opts out with `cache_prompt: false`. @defaultValue on, 256 MiB
   */
  prefixCache?: PrefixCacheOptions | boolean;
  /** A Jinja chat template used instead of the model's own (for models that ship none). */
  chatTemplate?: string;
  /** `max_tokens` when a request sends none. @defaultValue 16 for completions (as OpenAI), 256 for chat */
  defaultMaxTokens?: number;
  /** Models of the task endpoints, by any of the chooser's names of the task (classify, ner, answer, fill-mask, translate, summarize ...). */
  tasks?: TaskModels;
  /** The metrics to publish (create one first when you pass a `generator`). @defaultValue a new {@link ServerMetrics} */
  metrics?: ServerMetrics;
  /**
   * Fastify's logger: `true` logs requests as JSON lines (pino) on stdout; `{ level, stream }` picks the level and
   * where the lines go. Authorization headers are redacted, so API keys never reach the log. @defaultValue false
   */
  logger?: boolean | ServerLoggerOptions;
}

/**
 * Where and how much the server logs (see {@link ServerOptions.logger}).
 *
 * @example
 * const lines: string[] = [];
 * const logger: ServerLoggerOptions = { level: "info", stream: { write: (line) => lines.push(line) } };
 */
export interface ServerLoggerOptions {
  /** pino level: `"fatal"`, `"error"`, `"warn"`, `"info"`, `"debug"` or `"trace"`. @defaultValue "info" */
  level?: string;
  /** Where the JSON lines are written. @defaultValue stdout */
  stream?: {
    /** Receives one JSON log line. */
    write(line: string): void;
  };
}

/**
 * The option names of {@link ServerOptions}: anything else given to `createServer` is refused with the nearest name.
 *
 * @internal
 */
export const SERVER_OPTION_NAMES = optionNames<ServerOptions>()([
  "maxSequences",
  "maxTokens",
  "maxQueue",
  "maxBodyBytes",
  "shutdownTimeoutMs",
  "maxRequestSeconds",
  "headersTimeoutMs",
  "requestTimeoutMs",
  "keepAliveTimeoutMs",
  "maxConnections",
  "apiKeys",
  "cors",
  "metricsPublic",
  "insecureNoAuth",
  "model",
  "generator",
  "modelId",
  "load",
  "batching",
  "prefixCache",
  "chatTemplate",
  "defaultMaxTokens",
  "tasks",
  "metrics",
  "logger",
]);
