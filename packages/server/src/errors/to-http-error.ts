import { AbortError, DisposedError, InputError, ModelNotFoundError, OverloadedError, ProjError } from "@proj/core";
import { HttpError } from "./http-error.js";

/**
 * What {@link toHttpError} needs to know about the server's state.
 *
 * @example
 * toHttpError(new AbortError(), { closing: true }).status; // 503
 */
export interface ErrorContext {
  /** True while the server shuts down: cancelled work is then a 503, not a client's doing. */
  closing?: boolean;
}

/** Fastify's own errors carry a status and a `FST_ERR_*` code. */
interface FrameworkError {
  statusCode: number;
  code?: unknown;
  message: string;
}

function isFrameworkError(error: unknown): error is FrameworkError {
  return error instanceof Error && typeof (error as { statusCode?: unknown }).statusCode === "number";
}

const FRAMEWORK_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "invalid_json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "invalid_json",
  FST_ERR_CTP_BODY_TOO_LARGE: "request_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "invalid_content_length",
};

/**
 * Maps any failure to its HTTP status and OpenAI error fields: the one place where the SDK's typed errors
 * meet HTTP. `InputError` -> 400 (`context_length_exceeded` when the prompt does not fit), `ModelNotFoundError`
 * -> 404, `OverloadedError` -> 429 with `Retry-After`, `AbortError`/`DisposedError` while closing -> 503,
 * malformed JSON -> 400, a body over the limit -> 413, other failures -> 500.
 *
 * @example
 * const http = toHttpError(new OverloadedError("queue full", { retryAfterMs: 1000 }));
 * // http.status === 429, http.headers["retry-after"] === "1"
 */
export function toHttpError(error: unknown, context: ErrorContext = {}): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof OverloadedError) {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
    return new HttpError(429, error.message, {
      type: "overloaded_error",
      code: "queue_full",
      headers: { "retry-after": String(seconds) },
      cause: error,
    });
  }
  if (error instanceof InputError) {
    const code = /context/i.test(error.message) ? "context_length_exceeded" : "invalid_value";
    return new HttpError(400, error.message, { code, cause: error });
  }
  if (error instanceof ModelNotFoundError) return new HttpError(404, error.message, { code: "model_not_found", cause: error });
  if (error instanceof AbortError || error instanceof DisposedError) {
    return context.closing
      ? new HttpError(503, "The server is shutting down; the request was cancelled", { code: "shutting_down", cause: error })
      : new HttpError(499, "The request was cancelled", { code: "cancelled", cause: error });
  }
  if (error instanceof ProjError) return new HttpError(500, error.message, { code: error.code.toLowerCase(), cause: error });
  if (isFrameworkError(error) && error.statusCode >= 400 && error.statusCode < 500) {
    const code = typeof error.code === "string" ? (FRAMEWORK_CODES[error.code] ?? "invalid_request") : "invalid_request";
    const message = code === "invalid_json" ? `The body is not valid JSON: ${error.message}` : error.message;
    return new HttpError(error.statusCode, message, { code, cause: error });
  }
  return new HttpError(500, "Internal server error", { code: "internal_error", cause: error });
}
