import type { FastifyInstance } from "fastify";
import type { ServerContext } from "./context.js";

/**
 * `GET /v1/models` (the served models, OpenAI's list shape plus each model's `task`), `GET /health` (200 while
 * serving, 503 while draining, for load-balancer health checks) and `GET /metrics` (Prometheus text format).
 *
 * @example
 * registerBasicRoutes(app, context);
 * // curl localhost:8000/v1/models -> { object: "list", data: [{ id: "gpt2", object: "model", task: "generate", ... }] }
 */
export function registerBasicRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get("/v1/models", async () => ({
    object: "list",
    data: context.models.list().map((m) => ({ id: m.id, object: "model", created: m.created, owned_by: "proj", task: m.task })),
  }));

  app.get("/v1/models/*", async (request, reply) => {
    const id = (request.params as { "*": string })["*"];
    const model = context.models.list().find((m) => m.id === id);
    if (!model) {
      return reply.code(404).send({
        error: {
          message: `The model "${id}" is not served here`,
          type: "invalid_request_error",
          param: "model",
          code: "model_not_found",
        },
      });
    }
    return { id: model.id, object: "model", created: model.created, owned_by: "proj", task: model.task };
  });

  app.get("/health", async (_request, reply) => {
    const body = {
      status: context.closing ? "draining" : "ok",
      models: context.models.list().map((m) => m.id),
      requests_in_flight: Math.max(0, context.inFlight.size - 1),
      batch_size: context.metrics.batchSize,
      queue_size: context.metrics.queued,
    };
    return reply.code(context.closing ? 503 : 200).send(body);
  });

  app.get("/metrics", async (_request, reply) => {
    const text = await context.metrics.render();
    return reply.type(context.metrics.contentType).send(text);
  });
}
