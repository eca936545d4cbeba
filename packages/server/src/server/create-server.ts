import type { Server } from "node:http";
import { AbortError, InputError } from "@proj/core";
import { checkLoadOptions, checkOptions } from "@proj/core/internal";
import { createGenerator, type Generator, type LocalGenerator, type RemoteGenerator } from "@proj/decoder";
import Fastify, { type FastifyInstance } from "fastify";
import { HttpError } from "../errors/http-error.js";
import { requestTimedOut, toHttpError } from "../errors/to-http-error.js";
import { ServerMetrics } from "../metrics/server-metrics.js";
import { registerChatCompletions } from "../openai/chat-completions.js";
import { registerCompletions } from "../openai/completions.js";
import { registerEmbeddings } from "../openai/embeddings.js";
import { registerEmbeddingRoutes } from "../tasks/embedding-routes.js";
import { registerEncoderRoutes } from "../tasks/encoder-routes.js";
import { registerSeq2SeqRoutes } from "../tasks/seq2seq-routes.js";
import { type LoadedTask, loadTaskModels } from "../tasks/task-models.js";
import { ApiKeys } from "../security/api-keys.js";
import { registerAuthentication } from "../security/authenticate.js";
import { registerCors } from "../security/cors.js";
import { checkListenAddress, checkSecurity } from "../security/server-security.js";
import { registerBasicRoutes } from "./basic-routes.js";
import { closeConnections } from "./close-connections.js";
import { answerClientError, type ConnectionTimeouts, capConnections, connectionTimeouts, httpServerOptions } from "./connection-limits.js";
import type { ServerContext } from "./context.js";
import { InFlight } from "./in-flight.js";
import { SERVER_OPTION_NAMES, type ServerLoggerOptions, type ServerOptions } from "./options.js";
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
  /**
   * Starts listening; resolves with the base URL. Port 0 picks a free port. A host other machines can reach
   * (`0.0.0.0`, `::`, a LAN address) is refused with an `InputError` unless the server has `apiKeys` (or
   * `insecureNoAuth`).
   */
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
 * serve and `close()` to shut down gracefully. With `apiKeys`, every route but `/health` asks for a key; `cors`
 * lets browsers on other origins in; the limits bound slow clients and long requests.
 *
 * @example
 * const server = await createServer({ model: "./models/gpt2", maxSequences: 16, maxQueue: 64, apiKeys: [process.env.PROJ_API_KEY!] });
 * const url = await server.listen(8000, "0.0.0.0"); // a non-loopback address needs apiKeys
 * // new OpenAI({ baseURL: `${url}/v1`, apiKey: process.env.PROJ_API_KEY }).completions.create({ model: "gpt2", prompt: "Hello" })
 * process.on("SIGTERM", () => server.close());
 */
export async function createServer(serverOptions: ServerOptions): Promise<ProjServer> {
  const options = checkOptions(serverOptions, "createServer()", SERVER_OPTION_NAMES);
  checkSecurity(options);
  const timeouts = connectionTimeouts(options);
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
        ...(options.prefixCache !== undefined ? { prefixCache: options.prefixCache } : {}),
      });
      owned.push(generator);
      metrics.watchQueue(() => generator.batchStats().queued);
      metrics.watchPrefixCache(() => generator.prefixCacheStats());
      models.add("generate", options.modelId ?? modelIdOf(options.model), generator);
    } else if (options.generator !== undefined) {
      // A local generator (its batch is watched) or a remote one (this server then fronts another).
      const generator = options.generator as Partial<LocalGenerator & RemoteGenerator> & Generator;
      const { batchStats, prefixCacheStats } = generator;
      if (typeof batchStats === "function") metrics.watchQueue(() => batchStats.call(generator).queued);
      if (typeof prefixCacheStats === "function") metrics.watchPrefixCache(() => prefixCacheStats.call(generator));
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

  const inFlight = new InFlight({ maxRequestSeconds: options.maxRequestSeconds });
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
  const app = buildApp(options, context, timeouts);
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
      checkListenAddress(host, options);
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

function buildApp(options: ServerOptions, context: ServerContext, timeouts: ConnectionTimeouts): FastifyInstance {
  const app = Fastify({
    logger: loggerOptions(options.logger),
    bodyLimit: options.maxBodyBytes ?? 1024 * 1024,
    // Requests that reach a closing server get our own 503 (OpenAI error shape), /health says "draining".
    return503OnClosing: false,
    forceCloseConnections: "idle",
    http: httpServerOptions(timeouts),
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    clientErrorHandler: answerClientError(timeouts),
  });
  const overCap = options.maxConnections === undefined ? undefined : capConnections(app.server, options.maxConnections);
  app.addHook("onRequest", (request, reply, done) => {
    const endInFlight = context.inFlight.begin(reply.raw);
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
    if (overCap?.(request, reply)) return;
    done();
  });
  // CORS first (its hook answers preflights, which carry no key), then the key check, before any body is read.
  if (options.cors) registerCors(app, options.cors.origins);
  registerAuthentication(app, new ApiKeys(options.apiKeys ?? []), { metricsPublic: options.metricsPublic === true });
  // Fastify reads text/plain bodies as strings by default; the API takes JSON only, so any other type is a 415.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler((error, request, reply) => {
    let http = toHttpError(error, { closing: context.closing });
    // Work cancelled by the request's own deadline is a timeout, not the client's cancel.
    const limit = context.inFlight.maxRequestSeconds;
    if (http.status === 499 && limit !== undefined && context.inFlight.timedOut(reply.raw)) http = requestTimedOut(limit, error);
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

/** Fastify's logger options: pino with the credentials a request may carry redacted. */
function loggerOptions(logger: ServerOptions["logger"]): false | (ServerLoggerOptions & { redact: string[] }) {
  if (logger === undefined || logger === false) return false;
  const redact = ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-api-key"]'];
  return logger === true ? { level: "info", redact } : { level: "info", ...logger, redact };
}
