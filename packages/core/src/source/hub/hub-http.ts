import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { AbortError, ProjError, throwIfAborted } from "../../errors.js";

/**
 * Plain HTTP for the Hub source on `node:http`/`node:https`: one request at a time, redirects
 * followed by hand (so each hop gets its own headers), a connect timeout and an idle timeout,
 * and network failures sorted into "unreachable" (offline) and the rest.
 */

/** The host could not be reached at all: DNS failure, connection refused, connect timeout. */
export class UnreachableError extends Error {
  constructor(
    readonly url: URL,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach ${url.origin} (${reason})`, options);
    this.name = "UnreachableError";
  }
}

/** A connected server sent nothing for too long. */
export class StalledError extends Error {
  constructor(url: URL, timeoutMs: number) {
    super(`${url.origin} sent nothing for ${timeoutMs} ms`);
    this.name = "StalledError";
  }
}

/** More redirects than allowed. */
export class RedirectLoopError extends Error {
  constructor(url: URL, max: number) {
    super(`more than ${max} redirects starting at ${url.href}`);
    this.name = "RedirectLoopError";
  }
}

const UNREACHABLE: ReadonlyMap<string, string> = new Map([
  ["ENOTFOUND", "the host name could not be resolved"],
  ["EAI_AGAIN", "the host name could not be resolved"],
  ["ECONNREFUSED", "connection refused"],
  ["ENETUNREACH", "the network is unreachable"],
  ["EHOSTUNREACH", "the host is unreachable"],
  ["ENETDOWN", "the network is down"],
  ["EHOSTDOWN", "the host is down"],
  ["ETIMEDOUT", "the connection timed out"],
]);

/** The {@link ProjError} (usually an {@link AbortError}) that an aborted signal stands for. */
export function abortErrorOf(signal: AbortSignal | undefined): ProjError {
  try {
    throwIfAborted(signal);
  } catch (error) {
    if (error instanceof ProjError) return error;
  }
  return new AbortError();
}

/** Options of {@link sendRequest}. */
export interface RequestOptions {
  method?: "GET" | "HEAD";
  headers: OutgoingHttpHeaders;
  signal: AbortSignal | undefined;
  /** Limit for connecting, and for silence once connected. */
  timeoutMs: number;
}

/**
 * Sends one request and resolves with the response head; the body is left unread.
 * Rejects with {@link UnreachableError}, {@link StalledError}, an abort error, or the socket error.
 *
 * @example
 * const res = await sendRequest(new URL("https://huggingface.co/api/models/gpt2"), { headers: {}, signal: undefined, timeoutMs: 30_000 });
 */
export function sendRequest(url: URL, options: RequestOptions): Promise<IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) {
      reject(abortErrorOf(signal));
      return;
    }
    const send = url.protocol === "https:" ? httpsRequest : url.protocol === "http:" ? httpRequest : undefined;
    if (send === undefined) {
      reject(new Error(`unsupported URL protocol in ${url.href}`));
      return;
    }
    const req = send(url, { method: options.method ?? "GET", headers: options.headers, timeout: timeoutMs });
    let response: IncomingMessage | undefined;
    let connectTimer: NodeJS.Timeout | undefined;

    const onAbort = (): void => {
      req.destroy(abortErrorOf(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = (): void => {
      signal?.removeEventListener("abort", onAbort);
      if (connectTimer !== undefined) clearTimeout(connectTimer);
    };

    req.on("socket", (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(() => {
        req.destroy(new UnreachableError(url, `no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("connect", () => clearTimeout(connectTimer));
    });
    req.on("timeout", () => {
      if (response !== undefined) response.destroy(new StalledError(url, timeoutMs));
      else if (req.socket?.connecting ?? true) req.destroy(new UnreachableError(url, `no connection within ${timeoutMs} ms`));
      else req.destroy(new StalledError(url, timeoutMs));
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      done();
      if (response !== undefined) return; // the body stream reports its own errors
      const reason = error.code === undefined ? undefined : UNREACHABLE.get(error.code);
      reject(reason === undefined ? error : new UnreachableError(url, reason, { cause: error }));
    });
    req.on("response", (res) => {
      done();
      response = res;
      resolvePromise(res);
    });
    req.end();
  });
}

/** Options of {@link requestFollowingRedirects}. */
export interface RedirectOptions extends Omit<RequestOptions, "headers"> {
  /** Headers for the request to `url` (called once per hop, so that a token stays on its host). */
  headersFor(url: URL): OutgoingHttpHeaders;
  /** Sees every response head; returning `false` stops at that response even when it redirects. */
  onResponse?(response: IncomingMessage, url: URL): Promise<boolean | undefined> | boolean | undefined;
  /** @defaultValue 10 */
  maxRedirects?: number;
}

/**
 * Sends a request and follows `Location` redirects (relative or absolute, to any host) by hand.
 * Resolves with the last response, its body unread, and its URL.
 *
 * @example
 * const { response } = await requestFollowingRedirects(url, { headersFor: () => ({}), signal, timeoutMs: 30_000 });
 */
export async function requestFollowingRedirects(start: URL, options: RedirectOptions): Promise<{ response: IncomingMessage; url: URL }> {
  const max = options.maxRedirects ?? 10;
  let url = start;
  for (let hop = 0; ; hop++) {
    const response = await sendRequest(url, { ...options, headers: options.headersFor(url) });
    let next: boolean | undefined;
    try {
      next = await options.onResponse?.(response, url);
    } catch (error) {
      response.destroy();
      throw error;
    }
    const location = response.headers.location;
    if (!isRedirect(response.statusCode) || location === undefined || next === false) return { response, url };
    response.resume();
    if (hop >= max) throw new RedirectLoopError(start, max);
    url = new URL(location, url);
  }
}

function isRedirect(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * Reads a whole (small) response body as text.
 *
 * @example
 * const json = JSON.parse(await readText(response));
 */
export async function readText(response: IncomingMessage, limit = 64 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      response.destroy();
      throw new Error(`response body is larger than ${limit} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * One signal that fires when any of `signals` fires (`AbortSignal.any` where available).
 *
 * @example
 * const signal = anySignal([options.signal, callSignal]);
 */
export function anySignal(signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  const native = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  if (native !== undefined) return native.call(AbortSignal, present);
  const controller = new AbortController();
  for (const signal of present) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true, signal: controller.signal });
  }
  return controller.signal;
}
