import type { Server } from "node:http";
import { AbortError, InputError } from "@proj/core";
import { checkLoadOptions, checkOptions } from "@proj/core/internal";
import { createGenerator, type Generator, type LocalGenerator, type RemoteGenerator } from "@proj/decoder";
import Fastify, { type FastifyInstance } from "fastify";
import { HttpError } from "../errors/http-error.js";
import { toHttpError } from "../errors/to-http-error.js";
import { ServerMetrics } from "../metrics/server-metrics.js";
import { registerChatCompletions } from "../openai/chat-completions.js";
import { registerCompletions } from "../openai/completions.js";
import { registerEmbeddings } from "../openai/embeddings.js";
import { registerEmbeddingRoutes } from "../tasks/embedding-routes.js";
import { registerEncoderRoutes } from "../tasks/encoder-routes.js";
import { registerSeq2SeqRoutes } from "../tasks/seq2seq-routes.js";
import { type LoadedTask, loadTaskModels } from "../tasks/task-models.js";
import { registerBasicRoutes } from "./basic-routes.js";
import type { ServerContext } from "./context.js";
import { InFlight } from "./in-flight.js";
import { SERVER_OPTION_NAMES, type ServerOptions } from "./options.js";
import { closeConnections } from "./close-connections.js";
import { labelToId, modelIdOf, type ServedModel, ServedModels } from "./served-models.js";

/**
 * A running (or ready) server made by {@link createServer}.
 *
 * @example
 * const server: ProjServer = await createServer({ model: "./models/gpt2" });
 * const url = await server.listen(0); // a free port
 * await server.close();
 */
export interface ProjServer {
  /** The Fastify instance: add routes, hooks or plugins before `listen()`. */
  readonly app: FastifyInstance;
  /** The Node HTTP server underneath. */
  readonly server: Server;
  /** The Prometheus metrics it publishes on `/metrics`. */
  readonly metrics: ServerMetrics;
  /** The models it serves. */
  readonly models: readonly ServedModel[];
  /** The generator behind the OpenAI endpoints, when one is served. */
  readonly generator: Generator | undefined;
  /** Its base URL once listening (`http://127.0.0.1:8000`). */
  readonly url: string | undefined;
  /** Starts listening; resolves with the base URL. Port 0 picks a free port. */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Graceful shutdown: stops accepting connections, answers new requests on open connections with 503, waits for
   * the requests in flight (up to `shutdownTimeoutMs`, then cancels them), then disposes the models it loaded.
   */
  close(): Promise<void>;
}

/**
 * Creates an OpenAI-compatible server for a decoder-only model, with continuous batching of concurrent requests,
 * task endpoints, `/health` and Prometheus `/metrics`. Loads the models it is given by name; call `listen()` to
 * serve and `close()` to shut down gracefully.
 *
 * @example
 * const server = await createServer({ model: "./models/gpt2", maxSequences: 16, maxQueue: 64 });
 * const url = await server.listen(8000, "127.0.0.1");
 * // new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused" }).completions.create({ model: "gpt2", prompt: "Hello" })
 * process.on("SIGTERM", () => server.close());
 */
export async function createServer(serverOptions: ServerOptions): Promise<ProjServer> {
  const options = checkOptions(serverOptions, "createServer()", SERVER_OPTION_NAMES);
  if (options.model !== undefined && options.generator !== undefined) {
    throw new InputError("Pass either model or generator to createServer, not both");
  }
  if (options.model === undefined && options.generator === undefined && Object.values(options.tasks ?? {}).every((t) => t === undefined)) {
    throw new InputError("createServer needs something to serve", {
      hint: "pass { model } (a decoder folder or Hub id), { generator }, or { tasks }",
    });
  }
  const metrics = options.metrics ?? new ServerMetrics();
  const load = checkLoadOptions(options.load, "createServer");
  const owned: Array<{ dispose(): Promise<void> }> = [];
  const models = new ServedModels();
  try {
    if (options.model !== undefined) {
      const maxSequences = options.batching === false ? 1 : (options.maxSequences ?? 16);
      const generator = await createGenerator(options.model, {
        load,
        batching: {
          maxSequences,
          maxQueue: options.maxQueue ?? 256,
          onStep: metrics.onStep,
          ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
        },
      });
      owned.push(generator);
      metrics.watchQueue(() => generator.batchStats().queued);
      models.add("generate", options.modelId ?? modelIdOf(options.model), generator);
    } else if (options.generator !== undefined) {
      // A local generator (its batch is watched) or a remote one (this server then fronts another).
      const generator = options.generator as Partial<LocalGenerator & RemoteGenerator> & Generator;
      const { batchStats } = generator;
      if (typeof batchStats === "function") metrics.watchQueue(() => batchStats.call(generator).queued);
      const named = generator.model ? labelToId(generator.model.source.label) : generator.modelId;
      if (options.modelId === undefined && named === undefined) {
        throw new InputError("createServer() cannot name the generator's model", { hint: "pass { modelId }" });
      }
      models.add("generate", options.modelId ?? (named as string), generator);
    }
    const tasks: LoadedTask[] = await loadTaskModels(options.tasks ?? {}, load);
    for (const t of tasks) {
      models.add(t.task, t.id, t.handle);
      if (t.owned) owned.push(t.handle);
    }
  } catch (error) {
    await Promise.all(owned.map((h) => h.dispose()));
    throw error;
  }

  const inFlight = new InFlight();
  let closing = false;
  const context: ServerContext = {
    models,
    metrics,
    inFlight,
    chatTemplate: options.chatTemplate,
    defaultMaxTokens: options.defaultMaxTokens,
    get closing() {
      return closing;
    },
  };
  const app = buildApp(options, context);
  let url: string | undefined;
  let closed: Promise<void> | undefined;
  return {
    app,
    server: app.server,
    metrics,
    models: models.list(),
    generator: models.generator,
    get url() {
      return url;
    },
    async listen(port = 8000, host = "127.0.0.1") {
      url = await app.listen({ port, host });
      return url;
    },
    close() {
      closed ??= (async () => {
        closing = true;
        const appClosed = app.close();
        if (!(await inFlight.drained(options.shutdownTimeoutMs ?? 30_000))) {
          inFlight.abortAll(new AbortError("The server shut down before this request finished"));
          await inFlight.drained(5_000);
        }
        await closeConnections(app.server, appClosed);
        await Promise.all(owned.map((h) => h.dispose()));
      })();
      return closed;
    },
  };
}

function buildApp(options: ServerOptions, context: ServerContext): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.maxBodyBytes ?? 1024 * 1024,
    // Requests that reach a closing server get our own 503 (OpenAI error shape), /health says "draining".
    return503OnClosing: false,
    forceCloseConnections: "idle",
  });
  app.addHook("onRequest", (request, reply, done) => {
    const endInFlight = context.inFlight.begin();
    const record = context.metrics.requestStarted();
    const started = performance.now();
    reply.raw.once("close", () => {
      endInFlight();
      const status = reply.raw.writableFinished ? String(reply.raw.statusCode) : "499";
      record(request.routeOptions.url ?? "unmatched", status, (performance.now() - started) / 1000);
    });
    if (context.closing && request.routeOptions.url !== "/health") {
      const http = new HttpError(503, "The server is shutting down; send the request to another replica", { code: "shutting_down" });
      reply.code(503).header("connection", "close").header("retry-after", "1").send(http.toBody());
      return;
    }
    done();
  });
  // Fastify reads text/plain bodies as strings by default; the API takes JSON only, so any other type is a 415.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler((error, request, reply) => {
    const http = toHttpError(error, { closing: context.closing });
    if (http.status >= 500) request.log.error({ err: error }, http.message);
    return reply.code(http.status).headers(http.headers).send(http.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const http = new HttpError(404, `There is no ${request.method} ${request.url.split("?")[0]} on this server`, { code: "not_found" });
    return reply.code(404).send(http.toBody());
  });
  registerBasicRoutes(app, context);
  registerCompletions(app, context);
  registerChatCompletions(app, context);
  registerEmbeddings(app, context);
  registerEncoderRoutes(app, context);
  registerEmbeddingRoutes(app, context);
  registerSeq2SeqRoutes(app, context);
  return app;
}
