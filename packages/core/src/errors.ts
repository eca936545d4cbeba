/**
 * Typed errors of the `@proj` SDKs. Every error has a stable {@link ProjError.code}
 * and a message that says what went wrong; {@link ProjError.hint} says what to do.
 *
 * @example
 * try {
 *   await loadModel("./no-such-folder");
 * } catch (error) {
 *   if (ModelNotFoundError.isInstance(error)) console.error(error.message, error.hint);
 * }
 */

/**
 * The property every {@link ProjError} carries: the names of its classes, most derived first. It is keyed by a
 * registered symbol (`Symbol.for`), so an error thrown by one copy of the package (the ESM build) is recognised by
 * another (the CommonJS build) loaded in the same process, where `instanceof` says no.
 */
const ERROR_KINDS: unique symbol = Symbol.for("@proj/core.error-kinds");

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
  | "OVERLOADED"
  | "TEMPLATE";

/** Options shared by every {@link ProjError}. */
export interface ProjErrorOptions {
  /** What the caller can do about it. */
  hint?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by the `@proj` SDKs. Test for a kind with `isInstance` (`InputError.isInstance(e)`),
 * which also recognises errors from a second copy of the package in the process (ESM and CommonJS builds loaded side
 * by side), where `instanceof` fails.
 *
 * @example
 * if (ProjError.isInstance(error)) console.error(error.code, error.hint);
 */
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
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) {
      kinds.push((c as { name: string }).name);
    }
    Object.defineProperty(this, ERROR_KINDS, { value: kinds, enumerable: false });
  }

  /**
   * True when `value` is an error of this class or a subclass, from any copy of `@proj/core` in the process.
   *
   * @example
   * try {
   *   await classify(42 as never);
   * } catch (error) {
   *   if (InputError.isInstance(error)) console.error(error.hint);
   * }
   */
  static isInstance<T extends abstract new (...args: never[]) => ProjError>(this: T, value: unknown): value is InstanceType<T> {
    if (typeof value !== "object" || value === null) return false;
    const kinds = (value as { [ERROR_KINDS]?: unknown })[ERROR_KINDS];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance is called on (InputError.isInstance tests for InputError), not ProjError
    return Array.isArray(kinds) && kinds.includes(this.name);
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
 * A chat template could not be rendered: it raised an error of its own (`raise_exception(...)`, as Llama, Mistral and
 * Gemma templates do for roles they do not accept), or uses a filter or syntax the template engine does not know.
 * The message says which; the caller usually has to change the messages.
 */
export class TemplateError extends ProjError {
  constructor(message: string, options?: ProjErrorOptions) {
    super("TEMPLATE", message, options);
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
    if (ProjError.isInstance(reason)) throw reason;
    throw new AbortError(
      reason instanceof Error && reason.name !== "AbortError" ? `Aborted: ${reason.message}` : "The operation was aborted",
      { cause: reason },
    );
  }
}
