import type { ServerResponse } from "node:http";

/**
 * Writes server-sent events the way OpenAI streams: `data: {json}` events, then `data: [DONE]`.
 *
 * @example
 * const sse = new SseWriter(reply.raw);
 * sse.open();
 * sse.send({ choices: [{ index: 0, text: "Hi" }] });
 * sse.done();
 */
export class SseWriter {
  readonly #res: ServerResponse;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  /** True when the client is gone or the stream has ended: further writes are dropped. */
  get closed(): boolean {
    return this.#res.writableEnded || this.#res.destroyed;
  }

  /** Sends the 200 status and the event-stream headers. */
  open(headers: Readonly<Record<string, string>> = {}): void {
    this.#res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      ...headers,
    });
    this.#res.flushHeaders();
  }

  /** Sends one `data:` event with a JSON payload. */
  send(payload: unknown): void {
    if (!this.closed) this.#res.write(`data: ${JSON.stringify(payload)}\n\n`);
  }

  /** Sends `data: [DONE]` and ends the response. */
  done(): void {
    if (this.closed) return;
    this.#res.end("data: [DONE]\n\n");
  }

  /** Ends the response without `[DONE]` (after an error event), so clients see a terminated stream. */
  end(): void {
    if (!this.closed) this.#res.end();
  }
}
