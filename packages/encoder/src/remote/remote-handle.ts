import type { RemoteEndpoint } from "./http.js";

/**
 * What every remote handle (embedder, reranker, classifier) shares: the endpoint it talks to, described by `baseURL`, `kind` and
 * `modelId`, and its disposal. The task's own method lives in the subclass.
 *
 * @example
 * class RemoteRerankerHandle extends RemoteHandle<RemoteRerankerKind> implements RemoteReranker { ... }
 * @internal
 */
export abstract class RemoteHandle<K extends string> {
  protected readonly endpoint: RemoteEndpoint<K>;

  constructor(endpoint: RemoteEndpoint<K>) {
    this.endpoint = endpoint;
  }

  /** The base URL, without a trailing slash. */
  get baseURL(): string {
    return this.endpoint.baseURL;
  }

  /** The wire format. */
  get kind(): K {
    return this.endpoint.kind;
  }

  /** The model name sent as `model`, if any. */
  get modelId(): string | undefined {
    return this.endpoint.model;
  }

  /** True once disposed. */
  get disposed(): boolean {
    return this.endpoint.disposed;
  }

  /** Refuses every later call; there is nothing local to free. */
  async dispose(): Promise<void> {
    this.endpoint.dispose();
  }
}
