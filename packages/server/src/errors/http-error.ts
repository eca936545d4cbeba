/**
 * The error body every endpoint answers with, as the OpenAI API does, so OpenAI clients surface it unchanged.
 *
 * @example
 * const body: OpenAIErrorBody = {
 *   error: { message: "temperature must be a number", type: "invalid_request_error", param: "temperature", code: "invalid_type" },
 * };
 */
export interface OpenAIErrorBody {
  error: {
    /** What was wrong and what to do. */
    message: string;
    /** The kind: `"invalid_request_error"`, `"overloaded_error"`, `"server_error"`. */
    type: string;
    /** The request field at fault, when one is. */
    param: string | null;
    /** A stable machine-readable code (`"invalid_json"`, `"model_not_found"`, `"context_length_exceeded"` ...). */
    code: string | null;
  };
}

/**
 * Options of {@link HttpError}.
 *
 * @example
 * new HttpError(429, "queue full", { type: "overloaded_error", code: "queue_full", headers: { "retry-after": "1" } });
 */
export interface HttpErrorOptions {
  /** OpenAI error type. @defaultValue "invalid_request_error" below 500, "server_error" from 500 */
  type?: string;
  /** The request field at fault. */
  param?: string | null;
  /** Stable machine-readable code. */
  code?: string | null;
  /** Extra response headers (`Retry-After`). */
  headers?: Readonly<Record<string, string>>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An error with its HTTP status and OpenAI error fields: what every failure becomes before it is answered.
 *
 * @example
 * throw new HttpError(400, "max_tokens must be an integer >= 1, got 0", { param: "max_tokens", code: "invalid_value" });
 */
export class HttpError extends Error {
  /** HTTP status code. */
  readonly status: number;
  /** OpenAI error type. */
  readonly type: string;
  /** The request field at fault, or `null`. */
  readonly param: string | null;
  /** Machine-readable code, or `null`. */
  readonly code: string | null;
  /** Extra response headers. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "HttpError";
    this.status = status;
    this.type = options.type ?? (status >= 500 ? "server_error" : "invalid_request_error");
    this.param = options.param ?? null;
    this.code = options.code ?? null;
    this.headers = options.headers ?? {};
  }

  /** The OpenAI-style JSON body of this error. */
  toBody(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/**
 * A 400 for a request field that is missing, of the wrong type, or out of range.
 *
 * @example
 * throw badRequest("top_p must be in (0, 1], got 2", "top_p");
 */
export function badRequest(message: string, param: string | null = null, code = "invalid_value"): HttpError {
  return new HttpError(400, message, { param, code });
}
