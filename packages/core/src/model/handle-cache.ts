/** Something that owns native resources and can free them. */
export interface Disposable {
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

  /** The handle for `key`, created with `create` on first use. */
  async get(key: string, create: () => Promise<H>): Promise<H> {
    const cached = this.#entries.get(key);
    if (cached) {
      const handle = await cached;
      if (!handle.disposed) return handle;
      if (this.#entries.get(key) === cached) this.#entries.delete(key);
      return this.get(key, create);
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
