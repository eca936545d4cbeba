import { createRemoteGenerator, type GeneratorCallOptions } from "@proj/decoder";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHATML, generatorOf, post, type Running, start } from "./helpers.js";

let run: Running;
beforeAll(async () => {
  run = await start({ model: fixture("gpt2") });
});
afterAll(() => run?.server.close());

const messages = [{ role: "user" as const, content: "Hi!" }];

describe("log-probabilities through the official openai client", () => {
  it("chat: logprobs.content has one entry per generated token, equal to the local generator's, with top_logprobs", async () => {
    const answer = await run.client.chat.completions.create({
      model: "gpt2",
      messages,
      max_tokens: 6,
      temperature: 0,
      logprobs: true,
      top_logprobs: 2,
    });
    const local = await generatorOf(run).chat(messages, { chatTemplate: CHATML, maxNewTokens: 6, doSample: false, topLogprobs: 2 });
    const content = answer.choices[0]?.logprobs?.content ?? [];
    expect(content).toHaveLength(answer.usage?.completion_tokens ?? -1);
    expect(content.map((c) => c.logprob)).toEqual(local.logprobs?.map((l) => l.logprob));
    expect(content.map((c) => c.token).join("")).toBe(answer.choices[0]?.message.content);
    for (const entry of content) {
      expect(entry.top_logprobs).toHaveLength(2);
      expect(entry.bytes).toEqual([...new TextEncoder().encode(entry.token)]);
      expect(entry.top_logprobs[0]?.logprob).toBeGreaterThanOrEqual(entry.top_logprobs[1]?.logprob ?? 0);
    }
  });

  it("chat, streamed: the chunks' logprobs add up to the whole answer's", async () => {
    const whole = await run.client.chat.completions.create({ model: "gpt2", messages, max_tokens: 6, temperature: 0, logprobs: true });
    const stream = await run.client.chat.completions.create({
      model: "gpt2",
      messages,
      max_tokens: 6,
      temperature: 0,
      logprobs: true,
      stream: true,
    });
    const streamed: number[] = [];
    for await (const chunk of stream) for (const entry of chunk.choices[0]?.logprobs?.content ?? []) streamed.push(entry.logprob);
    expect(streamed).toEqual(whole.choices[0]?.logprobs?.content?.map((c) => c.logprob));
  });

  it("completions: tokens, token_logprobs, top_logprobs maps and text offsets; without logprobs it is null", async () => {
    const answer = await run.client.completions.create({
      model: "gpt2",
      prompt: "Once upon a time",
      max_tokens: 5,
      temperature: 0,
      logprobs: 3,
    });
    const lp = answer.choices[0]?.logprobs;
    expect(lp?.tokens?.join("")).toBe(answer.choices[0]?.text);
    expect(lp?.token_logprobs).toHaveLength(5);
    expect(lp?.top_logprobs?.every((m) => Object.keys(m).length <= 3 && Object.keys(m).length > 0)).toBe(true);
    expect(lp?.text_offset?.[0]).toBe(0);
    const plain = await run.client.completions.create({ model: "gpt2", prompt: "Once upon a time", max_tokens: 2, temperature: 0 });
    expect(plain.choices[0]?.logprobs).toBeNull();
  });

  it("@proj's remote generator asks for them and reads them back, whole and streamed, as the local generator gives them", async () => {
    const remote = createRemoteGenerator({ baseURL: `${run.url}/v1`, model: "gpt2" });
    const options: GeneratorCallOptions = { maxNewTokens: 5, doSample: false, eosTokenId: [], topLogprobs: 2 };
    const local = await generatorOf(run).generate("Once upon a time", options);
    const shape = (r: { logprobs?: Array<{ token: string; logprob: number; topLogprobs: Array<{ token: string }> }> }) =>
      r.logprobs?.map((l) => [l.token, l.logprob, l.topLogprobs.map((c) => c.token)]);
    const whole = await remote.generate("Once upon a time", options);
    expect(shape(whole)).toEqual(shape(local));
    const stream = remote.stream("Once upon a time", options);
    const streamed: number[] = [];
    for await (const chunk of stream) if (chunk.logprob) streamed.push(chunk.logprob.logprob);
    expect(streamed).toEqual(local.logprobs?.map((l) => l.logprob));
    const chatLocal = await generatorOf(run).chat(messages, { ...options, chatTemplate: CHATML });
    const chatRemote = await remote.chat(messages, options);
    expect(shape(chatRemote)).toEqual(shape(chatLocal));
  });

  it("bad values are 400s naming the field; beam search refuses them", async () => {
    const top = await post(`${run.url}/v1/chat/completions`, { model: "gpt2", messages, top_logprobs: 2 });
    expect(top.status).toBe(400);
    expect(top.json.error?.param).toBe("top_logprobs");
    const many = await post(`${run.url}/v1/completions`, { model: "gpt2", prompt: "x", logprobs: 9 });
    expect(many.status).toBe(400);
    expect(many.json.error?.param).toBe("logprobs");
  });
});
