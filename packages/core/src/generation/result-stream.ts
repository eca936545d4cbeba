/**
 * Work in progress that streams chunks and ends with a result: iterate it for the chunks as they come, and
 * await {@link ResultStream.result} for the final result. Iterating is optional; a failure rejects `result`
 * and ends the iteration with the same error.
 *
 * @typeParam C - the chunk type (text deltas).
 * @typeParam R - the final result type.
 * @example
 * const s = new ResultStream<string, number>(async (push) => { push("a"); push("b"); return 2; });
 * for await (const chunk of s) console.log(chunk);
 * await s.result; // 2
 */
export class ResultStream<C, R> implements AsyncIterable<C> {
  /** The final result, once the work ends (rejects if it fails). */
  readonly result: Promise<R>;
  readonly #queue: C[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: unknown;

  /**
   * @param run - starts the work; it calls `push` for each chunk and resolves with the result.
   * @param last - chunks to deliver after the work ends, computed from the result (e.g. text not streamed).
   */
  constructor(run: (push: (chunk: C) => void) => Promise<R>, last?: (result: R) => C[]) {
    this.result = run((chunk) => this.#push(chunk)).then(
      (result) => {
        for (const chunk of last?.(result) ?? []) this.#push(chunk);
        this.#ended = true;
        this.#notify();
        return result;
      },
      (error: unknown) => {
        this.#ended = true;
        this.#error = error;
        this.#notify();
        throw error;
      },
    );
    this.result.catch(() => undefined);
  }

  /** Yields the chunks in order as they come; ends when the work ends, or throws its error. */
  async *[Symbol.asyncIterator](): AsyncIterator<C> {
    for (;;) {
      if (this.#queue.length > 0) {
        yield this.#queue.shift() as C;
        continue;
      }
      if (this.#ended) {
        if (this.#error !== undefined) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #push(chunk: C): void {
    this.#queue.push(chunk);
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
