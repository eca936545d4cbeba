import { InputError } from "@proj/core";
import { isLoopbackHost } from "./loopback.js";

/**
 * Who may use a server and from where: API keys, browser origins (CORS), whether `/metrics` is public, and the
 * explicit opt-out that lets a server without keys listen on a non-loopback address.
 *
 * @example
 * const security: ServerSecurity = { apiKeys: [process.env.PROJ_API_KEY ?? ""], cors: { origins: ["https://app.example.com"] } };
 */
export interface ServerSecurity {
  /**
   * Keys a client must send as `Authorization: Bearer <key>` (the official `openai` client's `apiKey`) on every route
   * but `/health` (and `/metrics` when {@link ServerSecurity.metricsPublic}); any one of them is accepted. A request
   * without a key, or with another, is answered 401 (`missing_api_key`, `invalid_api_key`). Keys are compared in
   * constant time and never logged. @defaultValue none: no key is asked for
   */
  apiKeys?: readonly string[];
  /**
   * Browser origins allowed to call the server (CORS), e.g. `["https://app.example.com"]`; `"*"` allows any. Preflight
   * requests are answered by `@fastify/cors`. @defaultValue none: browsers on other origins are refused
   */
  cors?: { origins: readonly string[] };
  /** Serve `/metrics` without an API key (for a Prometheus scraper on a private network). @defaultValue false */
  metricsPublic?: boolean;
  /**
   * Let `listen()` bind a non-loopback address (`0.0.0.0`, a LAN address) with no `apiKeys`; without it that is
   * refused, since anyone who can reach the port could use the server. Set it only when something in front
   * (a reverse proxy, a private network) authenticates. @defaultValue false
   */
  insecureNoAuth?: boolean;
}

/**
 * Checks the security options of `createServer`: keys are non-empty and without whitespace (HTTP trims a header's
 * value, so such a key could never match), origins are `scheme://host[:port]` or `"*"`.
 *
 * @example
 * checkSecurity({ apiKeys: ["sk-local-1"], cors: { origins: ["http://localhost:5173"] } });
 */
export function checkSecurity(options: ServerSecurity): void {
  const { apiKeys, cors } = options;
  if (apiKeys !== undefined) {
    if (!Array.isArray(apiKeys))
      throw new InputError("createServer(): apiKeys must be an array of strings", { hint: 'pass { apiKeys: ["..."] }' });
    for (const [i, key] of apiKeys.entries()) {
      if (typeof key !== "string" || key.length === 0 || /[\s\p{Cc}]/u.test(key)) {
        // The key itself is never echoed: the message names its position only.
        throw new InputError(`createServer(): apiKeys[${i}] must be a non-empty string without whitespace or control characters`, {
          hint: "generate keys with e.g. `openssl rand -hex 32`",
        });
      }
    }
  }
  if (cors !== undefined) {
    const origins: unknown = (cors as { origins?: unknown } | null)?.origins;
    if (!Array.isArray(origins) || origins.length === 0)
      throw new InputError("createServer(): cors.origins must be a non-empty array of origins", {
        hint: 'pass { cors: { origins: ["https://app.example.com"] } }, or omit cors to refuse browsers on other origins',
      });
    for (const origin of origins) {
      if (origin !== "*" && !isOrigin(origin))
        throw new InputError(`createServer(): ${JSON.stringify(origin)} is not an origin`, {
          hint: 'an origin is scheme://host[:port] with no path or trailing slash, e.g. "https://app.example.com", or "*"',
        });
    }
  }
  for (const name of ["metricsPublic", "insecureNoAuth"] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== "boolean") throw new InputError(`createServer(): ${name} must be true or false`);
  }
}

function isOrigin(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/**
 * Refuses to listen on an address other machines can reach (`0.0.0.0`, `::`, a LAN address) when no API key is
 * configured, unless `insecureNoAuth` says something in front authenticates: the rule `listen()` applies, and
 * `proj serve` (which says it with its flag names) too.
 *
 * @example
 * checkListenAddress("127.0.0.1", {}); // fine: only this machine can reach it
 * checkListenAddress("0.0.0.0", {}); // throws InputError: no API key
 * checkListenAddress("0.0.0.0", { apiKeys: ["sk-local-1"] }); // fine
 */
export function checkListenAddress(host: string, options: ServerSecurity): void {
  if (isLoopbackHost(host) || (options.apiKeys?.length ?? 0) > 0 || options.insecureNoAuth === true) return;
  throw new InputError(
    `Refusing to listen on ${host} without an API key: anyone who can reach that address could use the server (and its models)`,
    {
      hint: 'pass { apiKeys: ["<key>"] } to createServer (clients then send Authorization: Bearer <key>), listen on 127.0.0.1, or pass { insecureNoAuth: true } if something in front of the server authenticates',
    },
  );
}
