import { AbortError } from "@proj/core";
import type { FastifyReply } from "fastify";
import type { InFlight } from "./in-flight.js";

/** The cancel switch of one request's work. */
export interface RequestSignal {
  /**
   * Aborted when the client disconnects before its answer is sent, when the request runs past the server's
   * `maxRequestSeconds` (reason: a `RequestTimeoutError`), or when shutdown gives up waiting.
   */
  readonly controller: AbortController;
  /** Detaches the switch once the work has settled. */
  release(): void;
}

/**
 * An `AbortController` for the work of one request: it fires when the client goes away before the response
 * has ended (so a generation leaves the batch and its rows are freed), when the request runs past its wall-time
 * limit, or when shutdown cancels everything.
 *
 * @example
 * const { controller, release } = requestSignal(context.inFlight, reply);
 * try { return await classifier.classify(texts, { signal: controller.signal }); } finally { release(); }
 */
export function requestSignal(inFlight: InFlight, reply: FastifyReply): RequestSignal {
  const { controller, release } = inFlight.controller(reply.raw);
  const res = reply.raw;
  const onClose = (): void => {
    if (!res.writableEnded) controller.abort(new AbortError("The client disconnected"));
  };
  res.on("close", onClose);
  return {
    controller,
    release() {
      release();
      res.off("close", onClose);
    },
  };
}
