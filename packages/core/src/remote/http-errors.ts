import { InputError, ModelNotFoundError, OverloadedError, type ProjError, SessionError } from "../errors.js";

/** Reads the message of an error body: OpenAI's `{ error: { message } }`, TEI's `{ error, error_type }`, `{ message }`, or the text itself. */
function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === "string") return body.error;
    if (body.error && typeof body.error.message === "string") return body.error.message;
    if (typeof body.message === "string") return body.message;
  } catch {
    // not JSON: the text is the message
  }
  return text.slice(0, 500) || "(no message)";
}

/**
 * Turns an error answer of a remote engine (an OpenAI-compatible server, TEI, a Cohere-style reranker) into the
 * SDK's typed errors, as a local handle would throw them, for every remote source (decoder and encoder):
 * 400/413/422 -> `InputError`, 401/403 -> `InputError` (the key), 404 -> `ModelNotFoundError`, 429/503 ->
 * `OverloadedError` (with the server's `Retry-After`), others (TEI's 424 backend failure included) -> `SessionError`.
 *
 * @example
 * if (!response.ok) throw remoteError(response.status, await response.text(), response.headers.get("retry-after"), url);
 */
export function remoteError(status: number, body: string, retryAfter: string | null, url: string): ProjError {
  const message = messageOf(body);
  if (status === 429 || status === 503) {
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    return new OverloadedError(`${url} is busy (${status}): ${message}`, {
      hint: "retry later, or add replicas",
      ...(Number.isFinite(seconds) ? { retryAfterMs: seconds * 1000 } : {}),
    });
  }
  if (status === 404) return new ModelNotFoundError(`${url} (404): ${message}`, { hint: "check the model name against GET /v1/models" });
  if (status === 401 || status === 403)
    return new InputError(`${url} refused the request (${status}): ${message}`, { hint: "check apiKey" });
  // 424 Failed Dependency is TEI's "the model backend failed": the server's fault, not the request's.
  if (status >= 400 && status < 500 && status !== 424) return new InputError(message);
  return new SessionError(`${url} failed (${status}): ${message}`);
}
