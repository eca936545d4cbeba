import { InputError } from "@proj/core";
import { createGenerator, createRemoteGenerator, type LocalGenerator } from "@proj/decoder";
import { fixture } from "@proj/testing";
import OpenAI, { AuthenticationError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkListenAddress, createServer, isLoopbackHost, type ProjServer, type ServerOptions } from "../src/index.js";
import { CHATML } from "./helpers.js";

const KEY = "sk-proj-test-5f1c0e7a9b2d4c68";
const OTHER_KEY = "sk-proj-second-0a9e";

// One generator for every server here (a generator passed in is not disposed by the server).
let generator: LocalGenerator;
beforeAll(async () => {
  generator = (await createGenerator(fixture("llama"), { load: { threads: 1 } })) as LocalGenerator;
});
afterAll(() => generator?.dispose());

const servers: ProjServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function serve(options: Partial<ServerOptions> = {}): Promise<string> {
  const server = await createServer({ generator, modelId: "llama", chatTemplate: CHATML, ...options });
  servers.push(server);
  return server.listen(0, "127.0.0.1");
}

function client(url: string, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, timeout: 60_000 });
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

const HELLO = { model: "llama", prompt: "Hello", max_tokens: 4, temperature: 0 };

describe("API keys", () => {
  let url: string;
  beforeAll(async () => {
    url = await serve({ apiKeys: [KEY, OTHER_KEY] });
  });

  it("the official openai client with the right key is served, with either key", async () => {
    const first = await client(url, KEY).completions.create(HELLO);
    expect(first.choices[0]?.text.length).toBeGreaterThan(0);
    const models = await client(url, OTHER_KEY).models.list();
    expect(models.data.map((m) => m.id)).toEqual(["llama"]);
  });

  it("the openai client with a wrong key gets a 401 invalid_api_key, in OpenAI's error shape", async () => {
    const error = await client(url, "sk-proj-wrong")
      .completions.create(HELLO)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as AuthenticationError).code).toBe("invalid_api_key");
    expect((error as AuthenticationError).message).not.toContain("sk-proj-wrong");
  });

  it("the SDK's remote generator sends its apiKey; without one it gets an InputError saying to check it", async () => {
    const keyed = createRemoteGenerator({ baseURL: `${url}/v1`, model: "llama", apiKey: KEY });
    const result = await keyed.generate("Hello", { maxNewTokens: 3 });
    expect(result.sequences[0]?.text.length).toBeGreaterThan(0);
    const keyless = createRemoteGenerator({ baseURL: `${url}/v1`, model: "llama" });
    const error = await keyless.generate("Hello", { maxNewTokens: 3 }).catch((e: unknown) => e);
    expect(InputError.isInstance(error)).toBe(true);
    expect((error as InputError).message).toMatch(/refused the request \(401\)/);
    await Promise.all([keyed.dispose(), keyless.dispose()]);
  });

  it("a key that is a prefix of the right one is refused", async () => {
    const error = await client(url, KEY.slice(0, -1))
      .models.list()
      .catch((e: unknown) => e);
    expect((error as AuthenticationError).status).toBe(401);
  });

  it("no Authorization header is a 401 missing_api_key with WWW-Authenticate, on every route and on unknown ones", async () => {
    for (const path of ["/v1/models", "/v1/models/llama", "/metrics", "/v1/nowhere"]) {
      const answer = await get(`${url}${path}`);
      expect(answer.status, path).toBe(401);
      expect(JSON.parse(answer.body).error).toMatchObject({ type: "invalid_request_error", code: "missing_api_key" });
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const post = await fetch(`${url}/v1/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(HELLO),
    });
    expect(post.status).toBe(401);
  });

  it("a header that is not Bearer auth is a 401 invalid_api_key", async () => {
    const answer = await get(`${url}/v1/models`, { authorization: `Basic ${Buffer.from(`user:${KEY}`).toString("base64")}` });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).error.code).toBe("invalid_api_key");
  });

  it("/health stays open for load balancers; /metrics answers with the key", async () => {
    expect((await get(`${url}/health`)).status).toBe(200);
    const metrics = await get(`${url}/metrics`, { authorization: `Bearer ${KEY}` });
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain("proj_requests_total");
  });

  it("with metricsPublic, /metrics is open and the API still needs the key", async () => {
    const open = await serve({ apiKeys: [KEY], metricsPublic: true });
    expect((await get(`${open}/metrics`)).status).toBe(200);
    expect((await get(`${open}/v1/models`)).status).toBe(401);
  });

  it("without keys (the default), nothing asks for one", async () => {
    const plain = await serve();
    expect((await get(`${plain}/v1/models`)).status).toBe(200);
    expect((await client(plain, "anything").models.list()).data).toHaveLength(1);
  });
});

describe("the request log", () => {
  it("logs the requests that carry a key, and never the key", async () => {
    const lines: string[] = [];
    const url = await serve({ apiKeys: [KEY], logger: { level: "info", stream: { write: (line) => lines.push(line) } } });
    await client(url, KEY).completions.create(HELLO);
    await client(url, "sk-proj-wrong-but-secret")
      .models.list()
      .catch(() => undefined);
    await get(`${url}/v1/models?x=1`, { authorization: `Bearer ${KEY}` });
    const log = lines.join("");
    expect(lines.filter((l) => l.includes('"url":"/v1/completions"')).length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('"statusCode":401')).length).toBeGreaterThan(0);
    expect(log).not.toContain(KEY);
    expect(log).not.toContain("sk-proj-wrong-but-secret");
  });
});

describe("CORS", () => {
  const ALLOWED = "https://app.example.com";
  let url: string;
  beforeAll(async () => {
    url = await serve({ apiKeys: [KEY], cors: { origins: [ALLOWED] } });
  });

  function preflight(origin: string, base = url): Promise<Response> {
    return fetch(`${base}/v1/chat/completions`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
    });
  }

  it("answers a preflight from an allowed origin (no key needed) with the origin, methods and headers allowed", async () => {
    const answer = await preflight(ALLOWED);
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(answer.headers.get("access-control-allow-methods")).toContain("POST");
    expect(answer.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });

  it("gives a refused origin no CORS headers, so the browser keeps the response from the page", async () => {
    const answer = await preflight("https://evil.example.net");
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    const actual = await get(`${url}/v1/models`, { origin: "https://evil.example.net", authorization: `Bearer ${KEY}` });
    expect(actual.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("adds CORS headers to an allowed origin's answers, a 401 included (so the page can read why)", async () => {
    const ok = await get(`${url}/v1/models`, { origin: ALLOWED, authorization: `Bearer ${KEY}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(ok.headers.get("vary")).toBe("Origin"); // sent once, though set on the reply and the raw response
    const refused = await get(`${url}/v1/models`, { origin: ALLOWED });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe(ALLOWED);
  });

  it("adds them to a stream too (server-sent events are written past Fastify's reply)", async () => {
    const response = await fetch(`${url}/v1/completions`, {
      method: "POST",
      headers: { origin: ALLOWED, authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ ...HELLO, stream: true }),
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(await response.text()).toContain("[DONE]");
  });

  it("is off by default: a preflight gets no CORS headers", async () => {
    const plain = await serve();
    const answer = await preflight(ALLOWED, plain);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("listening on a network", () => {
  it("listen() refuses a non-loopback address without a key, saying why and what to pass", async () => {
    const server = await createServer({ generator, modelId: "llama" });
    servers.push(server);
    const error = await server.listen(0, "0.0.0.0").catch((e: unknown) => e);
    expect(InputError.isInstance(error)).toBe(true);
    expect((error as InputError).message).toMatch(/Refusing to listen on 0\.0\.0\.0 without an API key/);
    expect((error as InputError).message).toMatch(/apiKeys.*insecureNoAuth/s);
    expect(server.url).toBeUndefined();
  });

  it("listens on 0.0.0.0 with a key, or with insecureNoAuth", async () => {
    for (const options of [{ apiKeys: [KEY] }, { insecureNoAuth: true }]) {
      const server = await createServer({ generator, modelId: "llama", ...options });
      servers.push(server);
      const url = await server.listen(0, "0.0.0.0");
      expect((await get(`${url}/health`)).status).toBe(200);
    }
  });

  it("tells loopback addresses from reachable ones", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "fe80::1", "example.com", "128.0.0.1"])
      expect(isLoopbackHost(host), host).toBe(false);
    expect(() => checkListenAddress("::", {})).toThrow(/without an API key/);
    expect(() => checkListenAddress("::", { apiKeys: [] })).toThrow(/without an API key/);
  });
});

describe("the security options", () => {
  it("are checked when the server is created, naming the option and never echoing a key", async () => {
    const made = (options: Partial<ServerOptions>) => createServer({ generator, modelId: "llama", ...options }).catch((e: unknown) => e);
    const spaced = await made({ apiKeys: ["sk with space"] });
    expect((spaced as Error).message).toMatch(/apiKeys\[0\] must be a non-empty string without whitespace/);
    expect((spaced as Error).message).not.toContain("sk with space");
    expect(((await made({ apiKeys: [""] })) as Error).message).toMatch(/apiKeys\[0\]/);
    expect(((await made({ cors: { origins: ["https://app.example.com/"] } })) as Error).message).toMatch(/is not an origin/);
    expect(((await made({ cors: { origins: [] } })) as Error).message).toMatch(/cors.origins must be a non-empty array/);
    const typo = (await made({ apiKey: [KEY] } as Partial<ServerOptions>)) as Error;
    expect(typo.message).toMatch(/no option "apiKey"/);
    expect(String((typo as InputError).hint)).toContain("apiKeys");
  });
});
