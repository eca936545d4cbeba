import { fixture } from "@proj/testing";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHATML, generatorOf, type Running, start } from "./helpers.js";

let llama: Running;
let gpt2: Running;
beforeAll(async () => {
  [llama, gpt2] = await Promise.all([start(), start({ model: fixture("gpt2") })]);
});
afterAll(async () => {
  await Promise.all([llama?.server.close(), gpt2?.server.close()]);
});

const messages = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "Hi!" },
];

describe("the official openai client against the server", () => {
  it("lists the served model", async () => {
    const models = await llama.client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["llama"]);
    expect((await llama.client.models.retrieve("llama")).id).toBe("llama");
    await expect(llama.client.models.retrieve("org/other")).rejects.toMatchObject({ status: 404 });
  });

  it("completes a prompt exactly as the local generator does, with usage and finish_reason", async () => {
    const answer = await llama.client.completions.create({ model: "llama", prompt: "Once upon a time", max_tokens: 8, temperature: 0 });
    const local = await generatorOf(llama).generate("Once upon a time", { maxNewTokens: 8, doSample: false });
    expect(answer.object).toBe("text_completion");
    expect(answer.choices).toHaveLength(1);
    expect(answer.choices[0]?.text).toBe(local.text);
    expect(answer.choices[0]?.finish_reason).toBe(local.finishReason === "length" ? "length" : "stop");
    expect(answer.usage).toEqual({
      prompt_tokens: local.metrics.promptTokens,
      completion_tokens: local.tokenIds.length,
      total_tokens: local.metrics.promptTokens + local.tokenIds.length,
      prompt_tokens_details: { cached_tokens: 0 }, // a prompt shorter than one cache block
    });
  });

  it("streams a completion whose deltas add up to the whole answer, then [DONE]", async () => {
    const whole = await gpt2.client.completions.create({ model: "gpt2", prompt: "The cat sat on the", max_tokens: 12, temperature: 0 });
    const stream = await gpt2.client.completions.create({
      model: "gpt2",
      prompt: "The cat sat on the",
      max_tokens: 12,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null | undefined;
    let usage: unknown;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.text ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text).toBe(whole.choices[0]?.text);
    expect(finish).toBe(whole.choices[0]?.finish_reason);
    expect(usage).toEqual(whole.usage);
  });

  it("answers a chat with the server's template, as the local chat() does", async () => {
    const answer = await llama.client.chat.completions.create({ model: "llama", messages, max_tokens: 8, temperature: 0 });
    const local = await generatorOf(llama).chat(messages, { chatTemplate: CHATML, maxNewTokens: 8, doSample: false });
    expect(answer.object).toBe("chat.completion");
    expect(answer.choices[0]?.message.role).toBe("assistant");
    expect(answer.choices[0]?.message.content).toBe(local.text);
    expect(answer.usage?.completion_tokens).toBe(local.tokenIds.length);
  });

  it("OpenAI-style text parts mean what the library's chat() makes of the same parts (bug 7)", async () => {
    const parts = [
      {
        role: "system" as const,
        content: [
          { type: "text" as const, text: "You are " },
          { type: "text" as const, text: "terse." },
        ],
      },
      { role: "user" as const, content: [{ type: "text" as const, text: "Hi!" }] },
    ];
    const answer = await llama.client.chat.completions.create({ model: "llama", messages: parts, max_tokens: 8, temperature: 0 });
    const local = await generatorOf(llama).chat(parts, { chatTemplate: CHATML, maxNewTokens: 8, doSample: false });
    const joined = await generatorOf(llama).chat(messages, { chatTemplate: CHATML, maxNewTokens: 8, doSample: false });
    expect(answer.choices[0]?.message.content).toBe(local.text);
    expect(local.tokenIds).toEqual(joined.tokenIds);
  });

  it("streams a chat: a role chunk, content deltas, a finish chunk", async () => {
    const whole = await llama.client.chat.completions.create({ model: "llama", messages, max_tokens: 10, temperature: 0 });
    const stream = await llama.client.chat.completions.create({ model: "llama", messages, max_tokens: 10, temperature: 0, stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(whole.choices[0]?.message.content);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe(whole.choices[0]?.finish_reason);
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0]?.id)).toBe(true);
  });

  it("honours n, seed, stop, penalties and top_p", async () => {
    const ask = (seed: number) =>
      llama.client.completions.create({
        model: "llama",
        prompt: "Hello",
        max_tokens: 10,
        temperature: 1.2,
        top_p: 0.9,
        seed,
        n: 3,
        presence_penalty: 0.5,
        frequency_penalty: 0.3,
      });
    const [a, b, c] = await Promise.all([ask(7), ask(7), ask(8)]);
    expect(a.choices.map((x) => x.index)).toEqual([0, 1, 2]);
    expect(a.choices.map((x) => x.text)).toEqual(b.choices.map((x) => x.text));
    expect(a.choices.map((x) => x.text)).not.toEqual(c.choices.map((x) => x.text));

    const free = await llama.client.completions.create({ model: "llama", prompt: "Hello", max_tokens: 20, temperature: 0 });
    const text = free.choices[0]?.text ?? "";
    const stop = text.trim().slice(0, 2);
    const cut = await llama.client.completions.create({ model: "llama", prompt: "Hello", max_tokens: 20, temperature: 0, stop: [stop] });
    expect(cut.choices[0]?.finish_reason).toBe("stop");
    expect(cut.choices[0]?.text).toBe(text.slice(0, text.indexOf(stop)));
  });

  it("sends several prompts in one completion request, choices in prompt order", async () => {
    const prompts = ["Hello", "Why"];
    const answer = await gpt2.client.completions.create({ model: "gpt2", prompt: prompts, max_tokens: 5, temperature: 0, n: 2 });
    expect(answer.choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    const local = await generatorOf(gpt2).generate(prompts, { maxNewTokens: 5, doSample: false });
    expect(answer.choices.map((c) => c.text)).toEqual([local[0]?.text, local[0]?.text, local[1]?.text, local[1]?.text]);
  });
});
