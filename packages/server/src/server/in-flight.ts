/**
 * Tracks the requests being answered, so shutdown can wait for them (drain) and, past its deadline, cancel
 * their generations.
 *
 * @example
 * const inFlight = new InFlight();
 * const done = inFlight.begin();
 * res.on("close", done);
 * await inFlight.drained(30_000); // false when the deadline passed first
 */
export class InFlight {
  #count = 0;
  readonly #waiters = new Set<() => void>();
  readonly #controllers = new Set<AbortController>();
  readonly #shutdown = new AbortController();

  /** Requests being answered. */
  get size(): number {
    return this.#count;
  }

  /** Fires when shutdown gives up waiting: every generation linked to it is cancelled. */
  get shutdownSignal(): AbortSignal {
    return this.#shutdown.signal;
  }

  /** Counts a request in; the returned function counts it out (idempotent). */
  begin(): () => void {
    this.#count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#count--;
      if (this.#count === 0) for (const wake of this.#waiters) wake();
    };
  }

  /**
   * An `AbortController` for one generation, aborted by shutdown; call `release` when the generation settles.
   */
  controller(): { controller: AbortController; release: () => void } {
    const controller = new AbortController();
    if (this.#shutdown.signal.aborted) controller.abort(this.#shutdown.signal.reason);
    this.#controllers.add(controller);
    return { controller, release: () => this.#controllers.delete(controller) };
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
