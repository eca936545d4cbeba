import type { Server } from "node:http";

/**
 * Waits for a closing HTTP server to finish, closing the keep-alive connections that the drained requests left
 * idle (and, after `graceMs`, any connection still open), so shutdown never hangs on a client's idle socket.
 *
 * @example
 * const closed = app.close();
 * await inFlight.drained(30_000);
 * await closeConnections(app.server, closed);
 */
export async function closeConnections(server: Server, closed: Promise<unknown>, graceMs = 2_000): Promise<void> {
  let done = false;
  const finished = closed.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  const started = Date.now();
  while (!done) {
    if (Date.now() - started > graceMs) server.closeAllConnections();
    else server.closeIdleConnections();
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 50))]);
  }
}
