import type { Server } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { InputError } from "@proj/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "../errors/http-error.js";
import type { ServerLimits } from "./options.js";

/** The connection limits of {@link ServerLimits}, with their defaults applied. */
export interface ConnectionTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/**
 * Checks the time and connection limits (positive numbers; the headers' time within the whole request's) and applies
 * their defaults: 30 s for headers, 60 s for the whole request, 72 s idle keep-alive (longer than the 60 s idle
 * timeout of common load balancers, so the balancer closes first).
 *
 * @example
 * const timeouts = connectionTimeouts({ headersTimeoutMs: 5_000 }); // { headersTimeoutMs: 5000, requestTimeoutMs: 60000, keepAliveTimeoutMs: 72000 }
 */
export function connectionTimeouts(limits: ServerLimits): ConnectionTimeouts {
  const positive = (name: keyof ServerLimits, integer: boolean): void => {
    const value = limits[name];
    if (value === undefined) return;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
      throw new InputError(`createServer(): ${name} must be a positive ${integer ? "integer" : "number"}, got ${String(value)}`, {
        hint: "omit it for the default",
      });
  };
  for (const name of ["headersTimeoutMs", "requestTimeoutMs", "keepAliveTimeoutMs", "maxConnections", "maxBodyBytes"] as const)
    positive(name, true);
  positive("maxRequestSeconds", false);
  const requestTimeoutMs = limits.requestTimeoutMs ?? Math.max(60_000, limits.headersTimeoutMs ?? 0);
  const headersTimeoutMs = limits.headersTimeoutMs ?? Math.min(30_000, requestTimeoutMs);
  if (headersTimeoutMs > requestTimeoutMs)
    throw new InputError(
      `createServer(): headersTimeoutMs (${headersTimeoutMs}) must not exceed requestTimeoutMs (${requestTimeoutMs}): the headers are part of the request`,
      { hint: "raise requestTimeoutMs or lower headersTimeoutMs" },
    );
  return { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs: limits.keepAliveTimeoutMs ?? 72_000 };
}

/**
 * The options of Node's HTTP server that enforce the timeouts. Node checks them on a timer
 * (`connectionsCheckingInterval`, 30 s by default); it runs here at a quarter of the shortest timeout, so a client
 * dribbling its headers is cut soon after `headersTimeoutMs`.
 *
 * @example
 * Fastify({ http: httpServerOptions(timeouts), requestTimeout: timeouts.requestTimeoutMs, keepAliveTimeout: timeouts.keepAliveTimeoutMs });
 */
export function httpServerOptions(timeouts: ConnectionTimeouts): {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
} {
  const shortest = Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs);
  return {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(5_000, Math.max(50, Math.floor(shortest / 4))),
  };
}

/**
 * Answers a connection the HTTP parser gave up on, in the OpenAI error shape: a request whose headers or body did
 * not arrive in time is a 408 `client_timeout`, headers over Node's size limit a 431 `headers_too_large`, anything
 * else unparsable a 400 `bad_request`; the connection is then closed. (Fastify's clientErrorHandler.)
 *
 * @example
 * Fastify({ clientErrorHandler: answerClientError(timeouts) });
 */
export function answerClientError(timeouts: ConnectionTimeouts): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const http =
      error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? new HttpError(
            408,
            `The request did not arrive in time: headers must arrive within ${timeouts.headersTimeoutMs} ms and the whole request within ${timeouts.requestTimeoutMs} ms`,
            { code: "client_timeout" },
          )
        : error.code === "HPE_HEADER_OVERFLOW"
          ? new HttpError(431, "The request's headers are larger than this server accepts", { code: "headers_too_large" })
          : new HttpError(400, "The request is not valid HTTP", { code: "bad_request" });
    const body = JSON.stringify(http.toBody());
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${http.status} ${STATUS_CODES[http.status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

/**
 * Caps the open connections at `max`: a request on a connection opened past the cap is answered 503
 * `too_many_connections` with `Retry-After` and `Connection: close`, so the client learns why and its socket is
 * freed; connections under the cap are served as usual. Returns the `onRequest` check.
 *
 * @example
 * const overCap = capConnections(app.server, 512);
 * app.addHook("onRequest", (request, reply, done) => (overCap(request, reply) ? undefined : done()));
 */
export function capConnections(server: Server, max: number): (request: FastifyRequest, reply: FastifyReply) => boolean {
  let open = 0;
  const over = new WeakSet<Socket>();
  server.on("connection", (socket: Socket) => {
    open++;
    if (open > max) over.add(socket);
    socket.once("close", () => open--);
  });
  return (request, reply) => {
    if (!over.has(request.raw.socket)) return false;
    const http = new HttpError(503, `The server has its maximum of ${max} connections open; retry shortly, or reuse a connection`, {
      type: "overloaded_error",
      code: "too_many_connections",
    });
    reply.code(503).header("connection", "close").header("retry-after", "1").send(http.toBody());
    return true;
  };
}
