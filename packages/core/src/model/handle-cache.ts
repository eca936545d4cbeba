import { throwIfAborted } from "../errors.js";

/** Something that owns native resources and can free them. */
export interface Disposable {
  /** Frees the native resources the handle owns. */
  dispose(): Promise<void>;
  /** True once disposed; a disposed handle is dropped from the cache and created again. */
  readonly disposed?: boolean;
}

/**
 * Caches task handles by key (model id and options), so that one-shot functions such as `classify(text)`
 * load a model once and reuse it. Concurrent first uses of the same key share one load; a failed load is
 * not cached, so the next call tries again.
 *
 * @example
 * const classifiers = new HandleCache<Classifier>();
 * const classifier = await classifiers.get(modelKey, () => createClassifier(model));
 */
export class HandleCache<H extends Disposable> {
  readonly #entries = new Map<string, Promise<H>>();

  /**
   * The handle for `key`, created with `create` on first use. A `signal` ends this caller's wait with an
   * `AbortError` as soon as it fires; the load itself goes on for the other callers and the cache.
   */
  async get(key: string, create: () => Promise<H>, signal?: AbortSignal): Promise<H> {
    throwIfAborted(signal);
    const loading = this.#get(key, create);
    if (!signal) return loading;
    loading.catch(() => undefined); // a load this caller stops waiting for may still fail; that is not its error
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        try {
          throwIfAborted(signal);
        } catch (error) {
          reject(error);
        }
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([loading, aborted]);
    } finally {
      signal.removeEventListener("abort", onAbort as () => void);
    }
  }

  async #get(key: string, create: () => Promise<H>): Promise<H> {
    const cached = this.#entries.get(key);
    if (cached) {
      const handle = await cached;
      if (!handle.disposed) return handle;
      if (this.#entries.get(key) === cached) this.#entries.delete(key);
      return this.#get(key, create);
    }
    const pending = create();
    this.#entries.set(key, pending);
    try {
      return await pending;
    } catch (error) {
      if (this.#entries.get(key) === pending) this.#entries.delete(key);
      throw error;
    }
  }

  /** Number of cached handles (loaded or loading). */
  get size(): number {
    return this.#entries.size;
  }

  /** Disposes every cached handle and empties the cache. */
  async clear(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map(async (p) => (await p.catch(() => undefined))?.dispose()));
  }
}
