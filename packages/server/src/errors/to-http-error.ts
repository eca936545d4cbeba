import { AbortError, DisposedError, InputError, ModelNotFoundError, OverloadedError, ProjError } from "@proj/core";
import { HttpError } from "./http-error.js";
import { RequestTimeoutError } from "./request-timeout-error.js";

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
 * The answer to work cancelled by the server's `maxRequestSeconds`: 504 `request_timeout`.
 *
 * @example
 * reply.code(504).send(requestTimedOut(120).toBody());
 */
export function requestTimedOut(seconds: number, cause?: unknown): HttpError {
  return new HttpError(
    504,
    `The request ran longer than this server's limit of ${seconds} s (maxRequestSeconds) and was cancelled; ask for less (a lower max_tokens, fewer inputs) or retry later`,
    { code: "request_timeout", cause },
  );
}

/** The SDK's message for a prompt that does not fit: "... exceeds the model's context of 2048 tokens". */
const CONTEXT_EXCEEDED = /exceeds the model's context of (\d+) tokens/;

/**
 * The message of an SDK error without the hint that core appends to it (`"<message>. <hint>"`): the hint speaks to
 * SDK users (option names such as `maxNewTokens`), which a wire client cannot act on.
 */
function withoutHint(error: ProjError): string {
  const { message, hint } = error;
  return hint && message.endsWith(`. ${hint}`) ? message.slice(0, -(hint.length + 2)) : message;
}

/**
 * A context-length refusal said in the wire's terms: the fields a client can change are the prompt (or messages)
 * and `max_tokens`; the SDK's `truncatePrompt` option has no wire field.
 */
function contextLengthMessage(error: InputError, context: number): string {
  const base = withoutHint(error).replace(/\bmaxNewTokens\b/g, "max_tokens");
  const prompt = /The prompt has (\d+) tokens/.exec(base);
  const fits = prompt === null || Number(prompt[1]) < context;
  return fits
    ? `${base}. Send a shorter prompt (fewer or shorter messages) or a lower max_tokens`
    : `${base}. Send a prompt shorter than ${context} tokens (fewer or shorter messages), and a max_tokens that fits beside it`;
}

/**
 * Maps any failure to its HTTP status and OpenAI error fields: the one place where the SDK's typed errors
 * meet HTTP. Errors are recognised with `isInstance`, so a second copy of `@proj/core` in the process (its ESM and
 * CommonJS builds) is understood too. `InputError` -> 400 (`context_length_exceeded` when the prompt does not fit,
 * with advice a wire client can follow), a chat template that fails (`TemplateError`, code `TEMPLATE`, e.g. its
 * `raise_exception(...)`) -> 400 `chat_template_error` with the template's message, `ModelNotFoundError` -> 404,
 * `OverloadedError` -> 429 with `Retry-After`, the server's `maxRequestSeconds` passed ({@link RequestTimeoutError}) -> 504
 * `request_timeout`, `AbortError`/`DisposedError` while closing -> 503 (otherwise 499), malformed JSON ->
 * 400, a body over the limit -> 413, a content type other than JSON -> 415, other failures -> 500.
 *
 * @example
 * const http = toHttpError(new OverloadedError("queue full", { retryAfterMs: 1000 }));
 * // http.status === 429, http.headers["retry-after"] === "1"
 */
export function toHttpError(error: unknown, context: ErrorContext = {}): HttpError {
  if (error instanceof HttpError) return error;
  if (OverloadedError.isInstance(error)) {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
    return new HttpError(429, error.message, {
      type: "overloaded_error",
      code: "queue_full",
      headers: { "retry-after": String(seconds) },
      cause: error,
    });
  }
  if (InputError.isInstance(error)) {
    const exceeded = CONTEXT_EXCEEDED.exec(error.message);
    if (exceeded)
      return new HttpError(400, contextLengthMessage(error, Number(exceeded[1])), { code: "context_length_exceeded", cause: error });
    return new HttpError(400, error.message, { code: "invalid_value", cause: error });
  }
  if (ProjError.isInstance(error) && error.code === "TEMPLATE") {
    return new HttpError(400, error.message, { param: "messages", code: "chat_template_error", cause: error });
  }
  if (ModelNotFoundError.isInstance(error)) return new HttpError(404, error.message, { code: "model_not_found", cause: error });
  const timeout = RequestTimeoutError.find(error);
  if (timeout) return requestTimedOut(timeout.seconds, error);
  if (AbortError.isInstance(error) || DisposedError.isInstance(error)) {
    return context.closing
      ? new HttpError(503, "The server is shutting down; the request was cancelled", { code: "shutting_down", cause: error })
      : new HttpError(499, "The request was cancelled", { code: "cancelled", cause: error });
  }
  if (ProjError.isInstance(error)) return new HttpError(500, error.message, { code: error.code.toLowerCase(), cause: error });
  if (isFrameworkError(error) && error.statusCode >= 400 && error.statusCode < 500) {
    const code = typeof error.code === "string" ? (FRAMEWORK_CODES[error.code] ?? "invalid_request") : "invalid_request";
    const message = code === "invalid_json" ? `The body is not valid JSON: ${error.message}` : error.message;
    return new HttpError(error.statusCode, message, { code, cause: error });
  }
  return new HttpError(500, "Internal server error", { code: "internal_error", cause: error });
}
