import type { Generator } from "../generate/types.js";

/**
 * Where a {@link RemoteGenerator} sends its calls: any OpenAI-compatible endpoint (`@proj/server`, TGI, vLLM,
 * a load balancer in front of several replicas).
 *
 * @example
 * const options: RemoteGeneratorOptions = { baseURL: "http://127.0.0.1:8000/v1", model: "gpt2" };
 */
export interface RemoteGeneratorOptions {
  /** Base URL of the API, up to and including `/v1` (`http://127.0.0.1:8000/v1`). */
  baseURL: string;
  /** The model name the server serves (`GET /v1/models` lists them). */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>` when given. */
  apiKey?: string;
  /** Extra headers on every request. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Ask for generated token ids (`return_token_ids`, which `@proj/server` and vLLM understand), so results carry
   * `tokenIds`. Off by default, since other servers may refuse unknown fields; without it `tokenIds` is empty and
   * streamed tokens have `tokenId: -1`. @defaultValue false
   */
  returnTokenIds?: boolean;
  /** The `fetch` to use (a proxy-aware one, or a mock in tests). @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * A generator whose model runs on an OpenAI-compatible server: the same `generate`, `stream`, `chat` and
 * `streamChat` calls and result shapes as a local `Generator`, so an application can move from in-process
 * decoding to a cluster by changing how it creates the handle.
 *
 * Metrics are measured on the client: `ttftMs` is the time to the first streamed text (the whole call when not
 * streaming), `tpot` the gaps between streamed chunks (absent when the call was not streamed); token counts come from
 * the server's `usage`. `rssBytes` is absent: the model's memory is the server's, which the client cannot see.
 *
 * @example
 * const generator = createRemoteGenerator({ baseURL: "http://127.0.0.1:8000/v1", model: "gpt2" });
 * const { text, finishReason } = await generator.generate("Once upon a time", { maxNewTokens: 20 });
 */
export interface RemoteGenerator extends Generator {
  /** The API base URL. */
  readonly baseURL: string;
  /** The served model name sent as `model`. */
  readonly modelId: string;
}
