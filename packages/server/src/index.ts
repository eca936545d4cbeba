export { createServer, type ProjServer } from "./server/create-server.js";
export type { ServerLimits, ServerOptions } from "./server/options.js";
export type { ServedModel, ServedTask } from "./server/served-models.js";
export type { TaskModels } from "./tasks/task-models.js";
export { ServerMetrics, type ServerMetricsOptions } from "./metrics/server-metrics.js";
export { HttpError, type HttpErrorOptions, type OpenAIErrorBody } from "./errors/http-error.js";
export { toHttpError } from "./errors/to-http-error.js";
