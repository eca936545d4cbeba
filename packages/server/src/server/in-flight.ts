import { RequestTimeoutError } from "../errors/request-timeout-error.js";

/**
 * Tracks the requests being answered, so shutdown can wait for them (drain) and, past its deadline, cancel
 * their generations; and, with `maxRequestSeconds`, cancels the work of a request that runs past its wall time.
 *
 * @example
 * const inFlight = new InFlight({ maxRequestSeconds: 120 });
 * const done = inFlight.begin(res);
 * res.on("close", done);
 * await inFlight.drained(30_000); // false when the deadline passed first
 */
export class InFlight {
  #count = 0;
  readonly #waiters = new Set<() => void>();
  readonly #controllers = new Set<AbortController>();
  readonly #shutdown = new AbortController();
  readonly #maxRequestSeconds: number | undefined;
  /** Each request's deadline, by its response object. */
  readonly #deadlines = new WeakMap<object, AbortSignal>();

  constructor(options: { maxRequestSeconds?: number | undefined } = {}) {
    this.#maxRequestSeconds = options.maxRequestSeconds;
  }

  /** Requests being answered. */
  get size(): number {
    return this.#count;
  }

  /** Fires when shutdown gives up waiting: every generation linked to it is cancelled. */
  get shutdownSignal(): AbortSignal {
    return this.#shutdown.signal;
  }

  /**
   * Counts a request in; the returned function counts it out (idempotent). Given the request's key (its response
   * object), it also starts the request's `maxRequestSeconds` clock, which {@link InFlight.controller} links to.
   */
  begin(key?: object): () => void {
    this.#count++;
    let ended = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const seconds = this.#maxRequestSeconds;
    if (key !== undefined && seconds !== undefined) {
      const deadline = new AbortController();
      timer = setTimeout(() => deadline.abort(new RequestTimeoutError(seconds)), seconds * 1000);
      this.#deadlines.set(key, deadline.signal);
    }
    return () => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      this.#count--;
      if (this.#count === 0) for (const wake of this.#waiters) wake();
    };
  }

  /**
   * An `AbortController` for one generation, aborted by shutdown, and by the request's deadline when given the key
   * it began with; call `release` when the generation settles.
   */
  controller(key?: object): { controller: AbortController; release: () => void } {
    const controller = new AbortController();
    const deadline = key === undefined ? undefined : this.#deadlines.get(key);
    const onDeadline = (): void => controller.abort(deadline?.reason);
    if (this.#shutdown.signal.aborted) controller.abort(this.#shutdown.signal.reason);
    else if (deadline?.aborted) onDeadline();
    else deadline?.addEventListener("abort", onDeadline, { once: true });
    this.#controllers.add(controller);
    return {
      controller,
      release: () => {
        this.#controllers.delete(controller);
        deadline?.removeEventListener("abort", onDeadline);
      },
    };
  }

  /** True when the request of this key ran past `maxRequestSeconds` (its work was then cancelled). */
  timedOut(key: object): boolean {
    return this.#deadlines.get(key)?.aborted === true;
  }

  /** The limit on one request's wall time, in seconds, if any. */
  get maxRequestSeconds(): number | undefined {
    return this.#maxRequestSeconds;
  }

  /** Resolves `true` once no request is in flight, or `false` when `timeoutMs` passes first. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.#count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        resolve(this.#count === 0);
      }, timeoutMs);
      this.#waiters.add(wake);
    });
  }

  /** Cancels every generation in flight (shutdown past its deadline). */
  abortAll(reason: Error): void {
    this.#shutdown.abort(reason);
    for (const controller of this.#controllers) controller.abort(reason);
  }
}
