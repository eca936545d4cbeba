import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One answer of a loopback server: a JSON body (or a string sent as is), with headers and an optional delay. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** A request the loopback server received. */
export interface Received {
  path: string;
  body: unknown;
  headers: IncomingHttpHeaders;
}

/** An HTTP server on 127.0.0.1 that answers with `route`, or with the replies queued in `next` first. */
export interface Loopback {
  url: string;
  /** Every request, in order. */
  received: Received[];
  /** One-shot replies that take precedence over the route (errors, malformed answers). */
  next: Reply[];
  close(): Promise<void>;
}

/** Starts a loopback server; request bodies are parsed as JSON (a body that is not JSON reaches `route` as `undefined`). */
export async function startLoopback(route: (path: string, body: unknown) => Promise<Reply>): Promise<Loopback> {
  const received: Received[] = [];
  const next: Reply[] = [];
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => {
      void (async () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(parts).toString("utf8"));
        } catch {
          body = undefined;
        }
        const path = request.url ?? "/";
        received.push({ path, body, headers: request.headers });
        const reply = next.shift() ?? (await route(path, body));
        if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        if (response.destroyed) return;
        const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
        response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        response.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    next,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The keys of a JSON object body that are not in `known`. */
export function unknownFields(body: unknown, known: readonly string[]): string[] {
  return body !== null && typeof body === "object" ? Object.keys(body).filter((k) => !known.includes(k)) : [];
}
