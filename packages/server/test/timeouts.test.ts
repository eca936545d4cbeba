import { request as httpRequest, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import { InputError } from "@proj/core";
import { createGenerator, type LocalGenerator } from "@proj/decoder";
import { fixture } from "@proj/testing";
import OpenAI, { APIError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type OpenAIErrorBody, type ProjServer, type ServerOptions } from "../src/index.js";
import { CHATML, IGNORE_EOS, until } from "./helpers.js";

// One generator for every server here (a generator passed in is not disposed by the server).
let generator: LocalGenerator;
beforeAll(async () => {
  generator = (await createGenerator(fixture("llama"), { load: { threads: 1 }, batching: { maxSequences: 4 } })) as LocalGenerator;
});
afterAll(() => generator?.dispose());

const servers: ProjServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function serve(options: Partial<ServerOptions> = {}): Promise<{ url: string; client: OpenAI; server: ProjServer }> {
  const server = await createServer({ generator, modelId: "llama", chatTemplate: CHATML, ...options });
  servers.push(server);
  const url = await server.listen(0, "127.0.0.1");
  return { url, server, client: new OpenAI({ baseURL: `${url}/v1`, apiKey: "test", maxRetries: 0, timeout: 120_000 }) };
}

// Seconds of decoding on the fixture, far longer than the limits set below.
const LONG = { model: "llama", prompt: "Hello", max_tokens: 1900, temperature: 0, ...IGNORE_EOS };
const SHORT = { model: "llama", prompt: "Why", max_tokens: 8, temperature: 0 };

/** A raw TCP connection to the server that records what it receives and when it is closed. */
function rawSocket(url: string): { socket: Socket; received: () => string; closed: Promise<void> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let data = "";
  socket.setEncoding("utf8").on("data", (d: string) => (data += d));
  socket.on("error", () => undefined);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return { socket, received: () => data, closed };
}

describe("a slow-loris client (headers dribbled a byte at a time)", () => {
  it("is answered 408 client_timeout and disconnected, while other clients are served meanwhile", async () => {
    const { url, client } = await serve({ headersTimeoutMs: 1_000 });
    const loris = rawSocket(url);
    const head = "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
    let sent = 0;
    const dribble = setInterval(() => {
      if (!loris.socket.destroyed && loris.socket.writable) loris.socket.write(head[sent % head.length] ?? "a");
      sent++;
    }, 100);
    try {
      // Served while the loris is connected and dribbling.
      const answer = await client.completions.create(SHORT);
      expect(answer.choices[0]?.text.length).toBeGreaterThan(0);
      await loris.closed;
      expect(sent).toBeGreaterThan(0);
      expect(loris.received()).toMatch(/^HTTP\/1\.1 408/);
      expect(loris.received()).toContain('"code":"client_timeout"');
    } finally {
      clearInterval(dribble);
      loris.socket.destroy();
    }
    // And the server still serves afterwards.
    expect((await fetch(`${url}/health`)).status).toBe(200);
  }, 60_000);

  it("a connection that sends nothing is answered 408 and closed too", async () => {
    const { url } = await serve({ headersTimeoutMs: 500 });
    const silent = rawSocket(url);
    await silent.closed;
    expect(silent.received()).toContain('"code":"client_timeout"');
  }, 60_000);

  it("a body that never finishes arriving is cut by requestTimeoutMs", async () => {
    const { url } = await serve({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    const slow = rawSocket(url);
    slow.socket.write("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(slow.received()).toContain('"code":"client_timeout"');
  }, 60_000);
});

describe("requestTimeoutMs", () => {
  it("bounds receiving the request, not answering it: a stream longer than the limit completes", async () => {
    const { client } = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 500 });
    const stream = await client.completions.create({ ...LONG, max_tokens: 500, stream: true });
    let finish: string | null | undefined;
    for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
    expect(finish).toBe("length");
  }, 120_000);
});

/** Opens a streamed completion with node:http and stops reading once its headers arrive. */
function stalledStream(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/v1/completions`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      res.pause(); // never reads another byte
      resolve(res);
    });
    req.on("error", reject);
    req.end(JSON.stringify({ ...LONG, stream: true }));
  });
}

describe("streams whose readers stop reading", () => {
  it("do not block other clients", async () => {
    const { url, client, server } = await serve();
    const stalled = await Promise.all([stalledStream(url), stalledStream(url)]);
    try {
      expect(stalled.map((r) => r.statusCode)).toEqual([200, 200]);
      const answers = await Promise.all([
        client.completions.create(SHORT),
        client.chat.completions.create({ ...SHORT, messages: [{ role: "user", content: "Hi" }] }),
      ]);
      expect(answers.every((a) => a.choices.length === 1)).toBe(true);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      for (const res of stalled) res.destroy();
    }
    // Gone readers cancel their generations.
    await until(() => server.metrics.sequencesInFlight === 0, 30_000, "the stalled streams' generations to be cancelled");
  }, 120_000);
});

describe("maxRequestSeconds", () => {
  it("cancels a whole answer past its wall time with a 504 request_timeout and frees its rows", async () => {
    const { client, server } = await serve({ maxRequestSeconds: 1 });
    const error = await client.completions.create(LONG).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(504);
    expect((error as APIError).code).toBe("request_timeout");
    expect((error as APIError).message).toMatch(/limit of 1 s/);
    await until(() => server.metrics.sequencesInFlight === 0, 10_000, "the timed-out sequence to leave the batch");
    // A request within the limit is served as usual.
    expect((await client.completions.create(SHORT)).choices[0]?.finish_reason).toBeDefined();
  }, 120_000);

  it("ends a stream already started with an error event, without [DONE]", async () => {
    const { url, server } = await serve({ maxRequestSeconds: 1 });
    const response = await fetch(`${url}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...LONG, stream: true }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"code":"request_timeout"');
    expect(text).not.toContain("[DONE]");
    await until(() => server.metrics.sequencesInFlight === 0, 10_000, "the timed-out stream to leave the batch");
  }, 120_000);

  it("answers a task request past its wall time 504 request_timeout too", async () => {
    const server = await createServer({ tasks: { classify: fixture("bert-seq-cls") }, load: { threads: 1 }, maxRequestSeconds: 0.005 });
    servers.push(server);
    const url = await server.listen(0, "127.0.0.1");
    const input = Array.from({ length: 256 }, (_, i) => `sentence number ${i} is a fairly long one, to take the model some time`);
    const response = await fetch(`${url}/v1/classify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input }),
    });
    expect(response.status).toBe(504);
    expect(((await response.json()) as OpenAIErrorBody).error).toMatchObject({ code: "request_timeout" });
  }, 120_000);
});

describe("maxConnections", () => {
  it("answers a request on a connection past the cap 503 too_many_connections, and serves again once one closes", async () => {
    const { url } = await serve({ maxConnections: 2 });
    const held = [rawSocket(url), rawSocket(url)];
    await Promise.all(held.map((h) => new Promise((resolve) => h.socket.once("connect", resolve))));
    try {
      const refused = await fetch(`${url}/v1/models`, { headers: { connection: "close" } });
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(((await refused.json()) as OpenAIErrorBody).error).toMatchObject({ type: "overloaded_error", code: "too_many_connections" });
    } finally {
      for (const h of held) h.socket.destroy();
    }
    await until(
      async () => (await fetch(`${url}/v1/models`, { headers: { connection: "close" } })).status === 200,
      10_000,
      "a free connection",
    );
  }, 60_000);
});

describe("the limit options", () => {
  it("are checked when the server is created", async () => {
    const made = (options: Partial<ServerOptions>) => createServer({ generator, modelId: "llama", ...options }).catch((e: unknown) => e);
    const inverted = await made({ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 });
    expect(InputError.isInstance(inverted)).toBe(true);
    expect((inverted as Error).message).toMatch(/headersTimeoutMs \(5000\) must not exceed requestTimeoutMs \(1000\)/);
    expect(((await made({ maxConnections: 0 })) as Error).message).toMatch(/maxConnections must be a positive integer/);
    expect(((await made({ maxRequestSeconds: -1 })) as Error).message).toMatch(/maxRequestSeconds must be a positive number/);
    expect(((await made({ keepAliveTimeoutMs: 1.5 })) as Error).message).toMatch(/keepAliveTimeoutMs must be a positive integer/);
  });
});
