import cors from "@fastify/cors";
import type { FastifyInstance } from "fastify";

/**
 * Lets browsers on the given origins call the server (CORS), with `@fastify/cors`: it answers preflight requests
 * (`OPTIONS` with `Access-Control-Request-Method`) in its own hook, before the API key is asked for, and adds
 * `Access-Control-Allow-Origin` only for an allowed origin; a refused origin gets no CORS headers, so the browser
 * keeps the response from the page. Register it before the authentication hook, so 401s carry CORS headers too.
 * The CORS headers are also set on the raw response, since server-sent events are written to it past Fastify's reply
 * (`reply.hijack()`), which would leave them behind and keep a browser from reading the stream.
 *
 * @example
 * registerCors(app, ["https://app.example.com"]);
 */
export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  app.register(cors, {
    origin: origins.includes("*") ? "*" : [...origins],
    methods: ["GET", "HEAD", "POST"],
    allowedHeaders: ["authorization", "content-type"],
    // The OpenAI clients read these: Retry-After to back off a 429 or 503.
    exposedHeaders: ["retry-after"],
    maxAge: 600,
  });
  // Runs after the plugin's hook (hooks run in the order they were added, plugins included).
  app.addHook("onRequest", (_request, reply, done) => {
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      // Node merges these with the headers Fastify passes to writeHead (Fastify's win), so nothing is sent twice.
      if (value !== undefined && (name.startsWith("access-control-") || name === "vary")) reply.raw.setHeader(name, value);
    }
    done();
  });
}
