/**
 * Typed errors of the `@proj` SDKs. Every error has a stable {@link ProjError.code}
 * and a message that says what went wrong; {@link ProjError.hint} says what to do.
 *
 * @example
 * try {
 *   await loadModel("./no-such-folder");
 * } catch (error) {
 *   if (error instanceof ModelNotFoundError) console.error(error.message, error.hint);
 * }
 */

/** Stable machine-readable error codes. */
export type ProjErrorCode =
  | "INPUT"
  | "MODEL_NOT_FOUND"
  | "MODEL_FORMAT"
  | "OFFLINE"
  | "DOWNLOAD"
  | "ABORTED"
  | "DISPOSED"
  | "SESSION"
  | "OVERLOADED";

/** Options shared by every {@link ProjError}. */
export interface ProjErrorOptions {
  /** What the caller can do about it. */
  hint?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/** Base class of every error thrown by the `@proj` SDKs. */
export class ProjError extends Error {
  /** Stable code for programmatic handling. */
  readonly code: ProjErrorCode;
  /** What the caller can do about it, when known. */
  readonly hint: string | undefined;

  constructor(code: ProjErrorCode, message: string, options: ProjErrorOptions = {}) {
    super(options.hint ? `${message}. ${options.hint}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** The caller passed something invalid: a wrong type, an empty value, an unknown option. */
export class InputError extends ProjError {
  constructor(message: string, options?: ProjErrorOptions) {
    super("INPUT", message, options);
  }
}

/** No model exists where the caller pointed: a missing folder, file, or Hub repository. */
export class ModelNotFoundError extends ProjError {
  constructor(message: string, options?: ProjErrorOptions) {
    super("MODEL_NOT_FOUND", message, options);
  }
}

/** Model files exist but are not usable: corrupt ONNX, invalid JSON, missing inputs or outputs. */
export class ModelFormatError extends ProjError {
  constructor(message: string, options?: ProjErrorOptions) {
    super("MODEL_FORMAT", message, options);
  }
}

/** A Hub model is needed but the network is off (or `HF_HUB_OFFLINE=1`) and it is not cached. */
export class OfflineError extends ProjError {
  constructor(message: string, options?: ProjErrorOptions) {
    super("OFFLINE", message, options);
  }
}

/** A download from the Hub failed (HTTP error, interrupted transfer, size mismatch). */
export class DownloadError extends ProjError {
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;

  constructor(message: string, options?: ProjErrorOptions & { status?: number }) {
    super("DOWNLOAD", message, options);
    this.status = options?.status;
  }
}

/** The operation was cancelled through an `AbortSignal`. */
export class AbortError extends ProjError {
  constructor(message = "The operation was aborted", options?: ProjErrorOptions) {
    super("ABORTED", message, options);
  }
}

/** A handle was used after `dispose()`. */
export class DisposedError extends ProjError {
  constructor(what: string, options?: ProjErrorOptions) {
    super("DISPOSED", `${what} was used after dispose()`, {
      hint: "create a new handle; a disposed one has released its native memory",
      ...options,
    });
  }
}

/** ONNX Runtime failed to create a session or to run one. */
export class SessionError extends ProjError {
  constructor(message: string, options?: ProjErrorOptions) {
    super("SESSION", message, options);
  }
}

/** A bounded queue is full: the work was refused, not started. Try again later. */
export class OverloadedError extends ProjError {
  /** Suggested wait before retrying, in milliseconds, when known. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options?: ProjErrorOptions & { retryAfterMs?: number }) {
    super("OVERLOADED", message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/**
 * Throws an {@link AbortError} when the signal has fired.
 *
 * @example
 * throwIfAborted(options.signal);
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof ProjError) throw reason;
    throw new AbortError(
      reason instanceof Error && reason.name !== "AbortError" ? `Aborted: ${reason.message}` : "The operation was aborted",
      { cause: reason },
    );
  }
}
