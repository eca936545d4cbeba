import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HttpError } from "../errors/http-error.js";
import type { ApiKeys } from "./api-keys.js";

/** Options of {@link registerAuthentication}. */
export interface AuthenticationOptions {
  /** Serve `/metrics` without a key. */
  metricsPublic: boolean;
}

/** `Authorization: Bearer <key>`: the scheme is case-insensitive (RFC 9110), the key is the rest. */
const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Asks every request for one of the server's API keys as `Authorization: Bearer <key>` (what the official `openai`
 * client sends for its `apiKey`), before its body is read. `/health` stays open for load balancers, `/metrics` too
 * when `metricsPublic`; CORS preflights are answered earlier by the CORS hook (browsers send them without keys).
 * A missing key is a 401 `missing_api_key`, a wrong one a 401 `invalid_api_key`; neither echoes what was sent.
 *
 * @example
 * registerAuthentication(app, new ApiKeys(["sk-local-1"]), { metricsPublic: false });
 * // curl localhost:8000/v1/models                                   -> 401 missing_api_key
 * // curl -H "Authorization: Bearer sk-local-1" localhost:8000/v1/models -> 200
 */
export function registerAuthentication(app: FastifyInstance, keys: ApiKeys, options: AuthenticationOptions): void {
  if (!keys.required) return;
  const open = new Set(["/health", ...(options.metricsPublic ? ["/metrics"] : [])]);
  app.addHook("onRequest", (request: FastifyRequest, reply: FastifyReply, done) => {
    // The matched route, not the raw URL: "/health?x" or "//health" cannot open another route.
    if (open.has(request.routeOptions.url ?? "")) return done();
    const header = request.headers.authorization;
    const key = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (key !== undefined && keys.accepts(key)) return done();
    const error =
      header === undefined
        ? new HttpError(401, "This server needs an API key: send it as the header Authorization: Bearer <key>", { code: "missing_api_key" })
        : new HttpError(401, "The API key is not valid: send one of the server's keys as Authorization: Bearer <key>", {
            code: "invalid_api_key",
          });
    reply.code(401).header("www-authenticate", 'Bearer realm="proj"').send(error.toBody());
  });
}
