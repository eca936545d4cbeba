import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { InFlight } from "./in-flight.js";
import type { ServedModels } from "./served-models.js";

/**
 * What every route needs: the served models, the metrics, the in-flight tracker and the server's settings.
 *
 * @example
 * const { handle } = context.models.resolve<Generator>("generate", body.model);
 */
export interface ServerContext {
  /** The served models by task. */
  readonly models: ServedModels;
  /** The Prometheus metrics. */
  readonly metrics: ServerMetrics;
  /** Requests in flight, and shutdown's cancel switch. */
  readonly inFlight: InFlight;
  /** Jinja chat template used instead of the model's own. */
  readonly chatTemplate: string | undefined;
  /** `max_tokens` of a chat request that sends none (completions default to 16, as OpenAI's). */
  readonly defaultMaxTokens: number | undefined;
  /** True once shutdown has begun. */
  readonly closing: boolean;
}
