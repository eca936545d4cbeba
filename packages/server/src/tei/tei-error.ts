import { HttpError } from "../errors/http-error.js";
import { type ErrorContext, toHttpError } from "../errors/to-http-error.js";

/**
 * The kinds of TEI's error body (`ErrorType` in its router, serialized by name).
 *
 * @example
 * const type: TeiErrorType = "Validation";
 */
export type TeiErrorType = "Unhealthy" | "Backend" | "Overloaded" | "Validation" | "Tokenizer" | "Empty";

/**
 * The error body of Text Embeddings Inference's routes, which TEI clients read.
 *
 * @example
 * const body: TeiErrorBody = { error: "`inputs` cannot be empty", error_type: "Empty" };
 */
export interface TeiErrorBody {
  /** What was wrong and what to do. */
  error: string;
  /** The kind, by which TEI picks the status: Empty 400, Validation/Tokenizer 422, Overloaded 429, Backend 424, Unhealthy 503. */
  error_type: TeiErrorType;
}

/**
 * A failure as a TEI route answers it.
 *
 * @example
 * const { status, body, headers } = toTeiError(error);
 */
export interface TeiAnswer {
  /** The HTTP status. */
  status: number;
  /** TEI's error body. */
  body: TeiErrorBody;
  /** Extra response headers (`Retry-After`). */
  headers: Readonly<Record<string, string>>;
  /** True when the server failed rather than the request: worth logging. */
  serverFault: boolean;
}

/**
 * A 400 `Empty` in TEI's terms: a request with no texts.
 *
 * @example
 * throw emptyBatch("inputs"); // 400 { error: "`inputs` cannot be empty", error_type: "Empty" }
 */
export function emptyBatch(field: string): HttpError {
  return new HttpError(400, `\`${field}\` cannot be empty`, { param: field, code: "empty" });
}

/**
 * Any failure of a TEI route as TEI answers it: its status, body and headers. The SDK's errors are first mapped as
 * on every route (`toHttpError`), then said in TEI's terms: an empty batch is a 400 `Empty`, any other request
 * error a 422 `Validation` (a body over the size limit keeps its 413), a model this server does not serve a 424
 * `Backend` (TEI's answer when its one model cannot do the task), a full queue a 429 `Overloaded` with
 * `Retry-After`, shutdown a 503 `Unhealthy`, a failed inference a 424 `Backend`.
 *
 * @example
 * const { status, body } = toTeiError(new InputError("text too long"));
 * // 422, { error: "text too long", error_type: "Validation" }
 */
export function toTeiError(error: unknown, context: ErrorContext = {}): TeiAnswer {
  const http = toHttpError(error, context);
  const answer = (status: number, error_type: TeiErrorType): TeiAnswer => ({
    status,
    body: { error: http.message, error_type },
    headers: http.headers,
    serverFault: http.status >= 500,
  });
  if (http.code === "empty") return answer(400, "Empty");
  if (http.code === "model_not_found") return answer(424, "Backend");
  if (http.status === 429) return answer(429, "Overloaded");
  if (http.status === 503) return answer(503, "Unhealthy");
  if (http.status === 400) return answer(422, "Validation");
  if (http.status < 500) return answer(http.status, "Validation");
  return answer(http.status === 500 ? 424 : http.status, "Backend");
}
