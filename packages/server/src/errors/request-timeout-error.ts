import { AbortError } from "@proj/core";

/**
 * The reason a request's work is cancelled when it runs past the server's `maxRequestSeconds`. It is an
 * `AbortError`, so the SDK stops the work as for any cancellation (a generation leaves the batch at the next
 * step), and the server answers it as 504 `request_timeout` rather than as a client's cancel.
 *
 * @example
 * controller.abort(new RequestTimeoutError(120));
 * RequestTimeoutError.find(error)?.seconds; // 120 when the limit cancelled it
 */
export class RequestTimeoutError extends AbortError {
  /** The limit that was passed, in seconds. */
  readonly seconds: number;

  constructor(seconds: number) {
    super(`The request ran longer than this server's limit of ${seconds} s and was cancelled`);
    this.name = "RequestTimeoutError";
    this.seconds = seconds;
  }

  /** The {@link RequestTimeoutError} that is `error` or caused it (the SDK may wrap a signal's reason), if any. */
  static find(error: unknown): RequestTimeoutError | undefined {
    for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
      if (e instanceof RequestTimeoutError) return e;
    }
    return undefined;
  }
}
