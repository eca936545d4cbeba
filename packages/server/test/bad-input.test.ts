import { NotFoundError, BadRequestError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, type Running, start } from "./helpers.js";

let run: Running;
beforeAll(async () => {
  run = await start({ maxBodyBytes: 64 * 1024 });
});
afterAll(() => run?.server.close());

const chat = (body: unknown) => post(`${run.url}/v1/chat/completions`, body);
const completions = (body: unknown) => post(`${run.url}/v1/completions`, body);
const ok = { model: "llama", messages: [{ role: "user", content: "Hi" }], max_tokens: 2 };

describe("bad input never crashes the server", () => {
  it("malformed JSON is a 400 invalid_json with the OpenAI error shape", async () => {
    for (const body of ["{", '{"model": "llama",', "nul", '{"a":1}}']) {
      const { status, json } = await chat(body);
      expect(status).toBe(400);
      expect(json.error).toMatchObject({ type: "invalid_request_error", code: "invalid_json", param: null });
      expect(typeof json.error?.message).toBe("string");
    }
  });

  it("a body that is not an object, or the wrong content type, is a 4xx", async () => {
    for (const body of ["[]", "42", '"text"', "null"]) expect((await chat(body)).status).toBe(400);
    const text = await post(`${run.url}/v1/completions`, "prompt=hi", { "content-type": "application/x-www-form-urlencoded" });
    expect(text.status).toBe(415);
    expect(text.json.error?.code).toBe("unsupported_media_type");
  });

  it("a text/plain body is a 415 unsupported_media_type, as the README's error table says (not a 400 invalid_type)", async () => {
    for (const path of ["completions", "chat/completions", "classify"]) {
      const { status, json } = await post(`${run.url}/v1/${path}`, JSON.stringify(ok), { "content-type": "text/plain" });
      expect({ path, status }).toEqual({ path, status: 415 });
      expect(json.error).toMatchObject({ type: "invalid_request_error", code: "unsupported_media_type" });
    }
  });

  it("wrong types and out-of-range values are 400s naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...ok, max_tokens: "many" }, "max_tokens"],
      [{ ...ok, max_tokens: 0 }, "max_tokens"],
      [{ ...ok, max_tokens: 1.5 }, "max_tokens"],
      [{ ...ok, temperature: -1 }, "temperature"],
      [{ ...ok, temperature: "hot" }, "temperature"],
      [{ ...ok, top_p: 0 }, "top_p"],
      [{ ...ok, presence_penalty: 3 }, "presence_penalty"],
      [{ ...ok, frequency_penalty: [] }, "frequency_penalty"],
      [{ ...ok, stop: 5 }, "stop"],
      [{ ...ok, stop: [""] }, "stop"],
      [{ ...ok, seed: 0.5 }, "seed"],
      [{ ...ok, n: 0 }, "n"],
      [{ ...ok, n: 1000 }, "n"],
      [{ ...ok, stream: "yes" }, "stream"],
      [{ ...ok, stream_options: { include_usage: 1 } }, "stream_options.include_usage"],
      [{ ...ok, messages: "hi" }, "messages"],
      [{ ...ok, messages: [] }, "messages"],
      [{ ...ok, messages: [{ role: "user" }] }, "messages[0].content"],
      [{ ...ok, messages: [{ role: 1, content: "x" }] }, "messages[0].role"],
      [{ ...ok, messages: [{ role: "user", content: [{ type: "image_url", image_url: {} }] }] }, "messages[0].content[0].type"],
      [{ ...ok, logprobs: "yes" }, "logprobs"],
      [{ ...ok, logprobs: true, top_logprobs: 21 }, "top_logprobs"],
      [{ ...ok, tools: [{ type: "function" }] }, "tools[0].function"],
      [{ ...ok, model: 42 }, "model"],
    ];
    for (const [body, param] of cases) {
      const { status, json } = await chat(body);
      expect({ param, status }).toEqual({ param, status: 400 });
      expect(json.error?.param).toBe(param);
    }
    for (const [body, param] of [
      [{ model: "llama" }, "prompt"],
      [{ model: "llama", prompt: "" }, "prompt"],
      [{ model: "llama", prompt: [1, 2, 3] }, "prompt"],
      [{ model: "llama", prompt: ["a", 3] }, "prompt"],
      [{ model: "llama", prompt: "Hi", echo: true }, "echo"],
    ] as Array<[unknown, string]>) {
      const { status, json } = await completions(body);
      expect({ param, status }).toEqual({ param, status: 400 });
      expect(json.error?.param).toBe(param);
    }
  });

  it("an unknown model is a 404 model_not_found, which the openai client reports as NotFoundError", async () => {
    const error = await run.client.chat.completions
      .create({ ...ok, model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((await completions({ model: "nope", prompt: "Hi" })).json.error?.code).toBe("model_not_found");
    expect((await post(`${run.url}/v1/classify`, { input: "hi" })).status).toBe(404);
    expect((await fetch(`${run.url}/v1/nothing-here`)).status).toBe(404);
  });

  it("a prompt over the model's context is a 400 context_length_exceeded", async () => {
    const error = await run.client.completions.create({ model: "llama", prompt: "Hello", max_tokens: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).code).toBe("context_length_exceeded");
    const long = "word ".repeat(3000);
    const streamed = await completions({ model: "llama", prompt: long, max_tokens: 4, stream: true });
    expect(streamed.status).toBe(400);
    expect(streamed.json.error?.code).toBe("context_length_exceeded");
  });

  it("a context_length_exceeded message advises what a wire client can change, not the SDK's options", async () => {
    const tooMany = await completions({ model: "llama", prompt: "Hello", max_tokens: 5000 });
    const tooLong = await chat({ ...ok, messages: [{ role: "user", content: "word ".repeat(3000) }], max_tokens: 4 });
    for (const { status, json } of [tooMany, tooLong]) {
      expect(status).toBe(400);
      expect(json.error?.code).toBe("context_length_exceeded");
      const message = json.error?.message ?? "";
      expect(message).toMatch(/context of \d+ tokens/);
      expect(message).toMatch(/max_tokens/);
      expect(message).toMatch(/shorter prompt|prompt shorter than/);
      expect(message).not.toMatch(/truncatePrompt|maxNewTokens/);
    }
  });

  it("a body over the size limit is a 413", async () => {
    const { status, json } = await completions({ model: "llama", prompt: "x".repeat(100 * 1024) });
    expect(status).toBe(413);
    expect(json.error?.code).toBe("request_too_large");
  });

  it("after all of that it still answers", async () => {
    const answer = await run.client.chat.completions.create({ ...ok, messages: [{ role: "user", content: "Hi" }] });
    expect(answer.choices[0]?.finish_reason).toMatch(/stop|length/);
    const health = await fetch(`${run.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", models: ["llama"] });
  });
});
