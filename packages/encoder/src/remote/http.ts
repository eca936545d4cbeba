import { DisposedError, InputError, SessionError, throwIfAborted } from "@proj/core";
import { remoteError } from "@proj/core/internal";

/**
 * Where a remote encoder handle sends its calls, and how: what {@link createRemoteEmbedder},
 * {@link createRemoteReranker} and {@link createRemoteClassifier} share.
 *
 * @example
 * const options: RemoteEndpointOptions = { baseURL: "http://127.0.0.1:8080", apiKey: process.env.TEI_KEY, timeoutMs: 30_000 };
 */
export interface RemoteEndpointOptions {
  /**
   * The server's base URL: the root of a TEI server (`http://127.0.0.1:8080`), or an OpenAI/Cohere-style API up to
   * and including `/v1` (`http://127.0.0.1:8000/v1`).
   */
  baseURL: string;
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  apiKey?: string;
  /** The model name sent as `model`; not with `kind: "tei"` (a TEI server serves one model). */
  model?: string;
  /** Extra headers on every request. */
  headers?: Readonly<Record<string, string>>;
  /** Longest wait for one request, in milliseconds, before a `SessionError`. @defaultValue no limit */
  timeoutMs?: number;
  /** The `fetch` to use (a proxy-aware one, or a mock in tests). @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
}

const ENDPOINT_OPTION_NAMES = ["baseURL", "apiKey", "model", "headers", "timeoutMs", "fetch", "kind"];

/**
 * One remote endpoint, checked: `post()` sends JSON and returns the parsed answer, with the SDK's typed errors
 * (`AbortError` when the caller's signal fires, `SessionError` for a timeout, an unreachable server or an answer
 * that is not JSON, and the HTTP error mapping every remote source shares).
 *
 * @example
 * const endpoint = new RemoteEndpoint(options, "createRemoteEmbedder", ["openai", "tei"]);
 * const vectors = await endpoint.post("/embed", { inputs: ["a dog runs"] }, signal);
 * @internal
 */
export class RemoteEndpoint<K extends string> {
  readonly baseURL: string;
  readonly kind: K;
  readonly model: string | undefined;
  readonly #options: RemoteEndpointOptions;
  readonly #fetch: typeof fetch;
  #disposed = false;

  constructor(options: (RemoteEndpointOptions & { kind: K }) | undefined, fn: string, kinds: readonly K[], what: string) {
    if (options === null || typeof options !== "object") {
      throw new InputError(`${fn}() expects an options object`, {
        hint: `pass { baseURL, kind: ${kinds.map((k) => `"${k}"`).join(" | ")} }`,
      });
    }
    for (const name of Object.keys(options)) {
      if (!ENDPOINT_OPTION_NAMES.includes(name)) {
        throw new InputError(`${fn}() has no option "${name}"`, { hint: `its options are ${ENDPOINT_OPTION_NAMES.join(", ")}` });
      }
    }
    if (typeof options.baseURL !== "string" || !/^https?:\/\//.test(options.baseURL)) {
      throw new InputError(`${fn}() baseURL must be an http(s) URL, got ${String(options.baseURL)}`, {
        hint: 'pass e.g. "http://127.0.0.1:8080" (TEI) or "http://127.0.0.1:8000/v1" (OpenAI-compatible)',
      });
    }
    if (!kinds.includes(options.kind)) {
      throw new InputError(`${fn}() kind must be ${kinds.map((k) => `"${k}"`).join(" or ")}, got ${String(options.kind)}`, {
        hint: `the wire format of the server: ${what}`,
      });
    }
    if (options.model !== undefined && (typeof options.model !== "string" || options.model === "")) {
      throw new InputError(`${fn}() model must be the served model's name`, { hint: "omit it for a server that serves one model" });
    }
    if (options.model !== undefined && options.kind === "tei") {
      throw new InputError(`${fn}() model cannot be sent to TEI: a TEI server serves one model, and its API has no model field`, {
        hint: "leave model out, or point baseURL at the TEI server of that model",
      });
    }
    const timeout = options.timeoutMs;
    if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0 && Number.isFinite(timeout))) {
      throw new InputError(`${fn}() timeoutMs must be a positive number of milliseconds, got ${String(timeout)}`);
    }
    this.baseURL = options.baseURL.replace(/\/+$/, "");
    this.kind = options.kind;
    this.model = options.model;
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    this.#disposed = true;
  }

  /** Throws `DisposedError` once disposed. */
  ensureOpen(what: string): void {
    if (this.#disposed) throw new DisposedError(`The remote ${what} for ${this.baseURL}`);
  }

  /** POSTs `body` as JSON to `baseURL + path` and returns the parsed JSON answer. */
  async post(path: string, body: Record<string, unknown>, signal: AbortSignal | undefined, what: string): Promise<unknown> {
    this.ensureOpen(what);
    throwIfAborted(signal);
    const url = `${this.baseURL}${path}`;
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const timeoutMs = this.#options.timeoutMs;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs);
    // Our signal or our timeout stopped the request: say which, instead of fetch's own AbortError.
    const interrupted = (error: unknown): void => {
      throwIfAborted(signal);
      if (timedOut) {
        throw new SessionError(`${url} did not answer within ${timeoutMs} ms`, {
          hint: "raise timeoutMs, send fewer texts per request (batchSize), or add replicas",
          cause: error,
        });
      }
    };
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json",
      ...(this.#options.apiKey ? { authorization: `Bearer ${this.#options.apiKey}` } : {}),
      ...this.#options.headers,
    };
    try {
      const response = await this.#fetch(url, { method: "POST", headers, body: JSON.stringify(body), signal: controller.signal }).catch(
        (error: unknown) => {
          interrupted(error);
          throw new SessionError(`Could not reach ${url}: ${(error as Error).message}`, {
            hint: "check that the server runs and baseURL (TEI: its root; OpenAI-compatible: up to /v1)",
            cause: error,
          });
        },
      );
      const text = await response.text().catch((error: unknown) => {
        interrupted(error);
        throw new SessionError(`${url} broke off its answer: ${(error as Error).message}`, { cause: error });
      });
      if (!response.ok) throw remoteError(response.status, text, response.headers.get("retry-after"), url);
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new SessionError(`${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, {
          hint: "check that baseURL points at the server's API and kind names its wire format",
          cause: error,
        });
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

/**
 * A `SessionError` for an answer that does not follow the wire format.
 *
 * @example
 * throw malformed(url, "3 embeddings for 2 texts");
 * @internal
 */
export function malformed(url: string, what: string): SessionError {
  return new SessionError(`${url} answered ${what}`, {
    hint: "check that kind names the server's wire format, and the server's logs",
  });
}

/**
 * Refuses an option a remote engine cannot honour: never silently ignored.
 *
 * @example
 * refuse("pooling", "tei", "the server pools as its model's config says");
 * @internal
 */
export function refuse(option: string, kind: string, why: string, hint?: string): InputError {
  return new InputError(`A remote ${kind} server cannot honour ${option}: ${why}`, {
    hint: hint ?? `leave ${option} out, or use a local handle (createEmbedder/createReranker) for it`,
  });
}

/**
 * Splits items into consecutive chunks of at most `size`.
 *
 * @example
 * chunks([1, 2, 3], 2); // [[1, 2], [3]]
 * @internal
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
