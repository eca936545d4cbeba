import { InputError, OverloadedError, SessionError } from "@proj/core";
import { describe, expect, it } from "vitest";
import { chat, createRemoteGenerator, generate } from "../src/index.js";
import { sseData, wireParams } from "../src/remote/index.js";

/** A body that delivers `parts` as separate reads, to split lines and events anywhere. */
function body(parts: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(typeof part === "string" ? encoder.encode(part) : part);
      controller.close();
    },
  });
}

async function collect(parts: Array<string | Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const data of sseData(body(parts))) out.push(data);
  return out;
}

/** A fetch that answers every request with `respond(url, body)`, recording the requests. */
function fakeFetch(respond: (body: Record<string, unknown>) => Response): { fetch: typeof fetch; sent: Array<Record<string, unknown>> } {
  const sent: Array<Record<string, unknown>> = [];
  const fn = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const parsed = JSON.parse(String(init?.body)) as Record<string, unknown>;
    sent.push(parsed);
    return respond(parsed);
  };
  return { fetch: fn as typeof fetch, sent };
}

describe("server-sent events", () => {
  it("yields each event's data however the bytes are split, with CRLF, comments and multi-line data", async () => {
    const text = ': keep-alive\r\n\r\ndata: {"a":1}\r\n\r\ndata: line1\ndata: line2\n\nevent: x\ndata:{"b":"é"}\n\ndata: [DONE]\n\n';
    const whole = await collect([text]);
    expect(whole).toEqual(['{"a":1}', "line1\nline2", '{"b":"é"}', "[DONE]"]);
    const bytes = new TextEncoder().encode(text);
    // every split point: between "\r" and "\n", inside "data:", inside the two bytes of "é"
    for (let cut = 1; cut < bytes.length; cut++) expect(await collect([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(whole);
    expect(await collect(Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it("yields a last event that has no blank line after it", async () => {
    expect(await collect(["data: a\n\ndata: b"])).toEqual(["a", "b"]);
  });
});

describe("wire params", () => {
  it("maps SDK options to OpenAI fields and sends only what is set", () => {
    expect(wireParams({})).toEqual({});
    expect(wireParams({ maxNewTokens: 20, doSample: false, stop: "x" })).toEqual({ max_tokens: 20, temperature: 0, stop: ["x"] });
    expect(wireParams({ doSample: true, topP: 0.9, topK: 5, minP: 0.1, seed: 1, numReturnSequences: 2 })).toEqual({
      temperature: 1,
      top_p: 0.9,
      top_k: 5,
      min_p: 0.1,
      seed: 1,
      n: 2,
    });
    expect(wireParams({ presencePenalty: 0.5, frequencyPenalty: 0.2, repetitionPenalty: 1.1, minNewTokens: 2, eosTokenId: [] })).toEqual({
      presence_penalty: 0.5,
      frequency_penalty: 0.2,
      repetition_penalty: 1.1,
      min_tokens: 2,
      ignore_eos: true,
    });
  });

  it("refuses options that have no wire field instead of dropping them", () => {
    expect(() => wireParams({ numBeams: 4 })).toThrow(InputError);
    expect(() => wireParams({ noRepeatNgramSize: 3 })).toThrow(/no-repeat/);
    expect(() => wireParams({ eosTokenId: 2 })).toThrow(/eosTokenId/);
    expect(() => wireParams({ chatTemplate: "{{ x }}" })).toThrow(/template/);
    expect(() => wireParams({ numBeams: 1, noRepeatNgramSize: 0 })).not.toThrow();
  });
});

describe("createRemoteGenerator with a stand-in server", () => {
  const sse = (events: unknown[]): Response =>
    new Response(events.map((e) => `data: ${typeof e === "string" ? e : JSON.stringify(e)}\n\n`).join(""), {
      headers: { "content-type": "text/event-stream" },
    });

  it("sends the model, prompt and options, and assembles a streamed answer with usage", async () => {
    const { fetch, sent } = fakeFetch(() =>
      sse([
        { choices: [{ index: 0, text: "Hel", finish_reason: null }] },
        { choices: [{ index: 0, text: "lo", finish_reason: null }] },
        { choices: [{ index: 0, text: "", finish_reason: "length" }] },
        { choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } },
        "[DONE]",
      ]),
    );
    const remote = createRemoteGenerator({ baseURL: "http://example.invalid/v1/", model: "m", apiKey: "k", fetch });
    const stream = remote.stream("Hi", { maxNewTokens: 2 });
    const pieces: string[] = [];
    for await (const chunk of stream) pieces.push(chunk.text);
    const result = await stream.result;
    expect(pieces).toEqual(["Hel", "lo"]);
    expect(result).toMatchObject({ text: "Hello", finishReason: "length", tokenIds: [] });
    expect(result.metrics).toMatchObject({ promptTokens: 3, generatedTokens: 2 });
    expect(sent[0]).toEqual({ model: "m", prompt: "Hi", max_tokens: 2, stream: true, stream_options: { include_usage: true } });
  });

  it("reports no RSS (the model's memory is the server's) and no TPOT for a call that was not streamed", async () => {
    const { fetch } = fakeFetch(() =>
      Response.json({ choices: [{ index: 0, text: "Hello", finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 2 } }),
    );
    const remote = createRemoteGenerator({ baseURL: "http://example.invalid/v1", model: "m", fetch });
    const { metrics } = await remote.generate("Hi");
    expect(metrics.rssBytes).toBeUndefined();
    expect(metrics.tpot).toBeUndefined();
    expect(metrics.generatedTokens).toBe(2);
  });

  it("is a Generator: generate() and chat() take it as model, and chat content parts are sent as text", async () => {
    const { fetch, sent } = fakeFetch(() =>
      Response.json({ choices: [{ index: 0, text: "ok", message: { content: "ok" }, finish_reason: "stop" }] }),
    );
    const remote = createRemoteGenerator({ baseURL: "http://example.invalid/v1", model: "m", fetch });
    expect((await generate("Hi", { model: remote, maxNewTokens: 3 })).text).toBe("ok");
    const parts = [
      {
        role: "user",
        content: [
          { type: "text" as const, text: "Hi " },
          { type: "text" as const, text: "there" },
        ],
      },
    ];
    expect((await chat(parts, { model: remote })).text).toBe("ok");
    expect(sent[1]?.messages).toEqual([{ role: "user", content: "Hi there" }]);
    await expect(remote.generate("Hi", { maxNewToken: 3 } as never)).rejects.toThrow(/maxNewTokens/);
  });

  it("maps error answers and broken streams to typed errors", async () => {
    const busy = createRemoteGenerator({
      baseURL: "http://example.invalid/v1",
      model: "m",
      fetch: fakeFetch(() => new Response('{"error":{"message":"full"}}', { status: 429, headers: { "retry-after": "3" } })).fetch,
    });
    const error = await busy.generate("Hi").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverloadedError);
    expect((error as OverloadedError).retryAfterMs).toBe(3000);

    const broken = createRemoteGenerator({
      baseURL: "http://example.invalid/v1",
      model: "m",
      fetch: fakeFetch(() => sse([{ choices: [{ index: 0, text: "a" }] }])).fetch,
    });
    await expect(broken.generate("Hi", { onToken: () => undefined })).rejects.toBeInstanceOf(SessionError);

    const midError = createRemoteGenerator({
      baseURL: "http://example.invalid/v1",
      model: "m",
      fetch: fakeFetch(() => sse([{ choices: [{ index: 0, text: "a" }] }, { error: { message: "boom", type: "server_error" } }])).fetch,
    });
    await expect(midError.generate("Hi", { onToken: () => undefined })).rejects.toThrow(/boom/);
  });

  it("an unreachable server is a SessionError that says what to check", async () => {
    const remote = createRemoteGenerator({ baseURL: "http://127.0.0.1:9/v1", model: "m" });
    await expect(remote.generate("Hi")).rejects.toThrow(/Could not reach http:\/\/127\.0\.0\.1:9\/v1\/completions/);
  });

  it("checks its arguments and refuses calls after dispose", async () => {
    expect(() => createRemoteGenerator({ baseURL: "localhost:8000", model: "m" })).toThrow(InputError);
    const remote = createRemoteGenerator({ baseURL: "http://127.0.0.1:9/v1", model: "m" });
    await expect(remote.chat([])).rejects.toBeInstanceOf(InputError);
    await remote.dispose();
    await expect(remote.generate("Hi")).rejects.toThrow(/after dispose/);
  });
});
