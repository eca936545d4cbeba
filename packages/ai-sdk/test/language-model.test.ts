import { createProj, proj } from "@proj/ai-sdk";
import { disposeCachedHandles, InputError } from "@proj/core";
import { chat, createGenerator, generate, stream } from "@proj/decoder";
import { fixture } from "@proj/testing";
import { generateText, jsonSchema, streamText } from "ai";
import { afterAll, describe, expect, it } from "vitest";

const GPT2 = fixture("gpt2");
// A ChatML template (the convention of Qwen and Hermes models), written here for the fixture, which has none.
const CHATML =
  "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

afterAll(() => disposeCachedHandles());

describe("generateText and streamText of the ai package on a local model", () => {
  it("generateText with a plain prompt gives generate()'s greedy text, finish reason and token counts", async () => {
    const ai = await generateText({ model: proj(GPT2), prompt: "Once upon a time", maxOutputTokens: 12, temperature: 0 });
    const own = await generate("Once upon a time", { model: GPT2, maxNewTokens: 12, temperature: 0 });
    expect(ai.text).toBe(own.text);
    expect(ai.text.length).toBeGreaterThan(0);
    expect(ai.finishReason).toBe(own.finishReason === "length" ? "length" : "stop");
    expect(ai.usage.inputTokens).toBe(own.metrics.promptTokens);
    expect(ai.usage.outputTokens).toBe(own.metrics.generatedTokens);
    expect(ai.warnings ?? []).toEqual([]);
  });

  it("streamText's deltas add up to stream()'s text, and sampling with a seed is reproducible", async () => {
    const options = { maxOutputTokens: 10, temperature: 0.9, topP: 0.95, seed: 7 } as const;
    const ai = streamText({ model: proj(GPT2), prompt: "The weather", ...options });
    const deltas: string[] = [];
    for await (const delta of ai.textStream) deltas.push(delta);
    const own = await stream("The weather", { model: GPT2, maxNewTokens: 10, temperature: 0.9, topP: 0.95, seed: 7 }).text();
    expect(deltas.join("")).toBe(own);
    expect(deltas.length).toBeGreaterThan(1);
    expect(await ai.text).toBe(own);
    expect((await ai.usage).outputTokens).toBeGreaterThan(0);
  });

  it("stopSequences and providerOptions.proj reach the engine (a stop string ends the text before it)", async () => {
    const free = await generate("Hello", { model: GPT2, maxNewTokens: 16, temperature: 0, repetitionPenalty: 1.3 });
    const ai = await generateText({
      model: proj(GPT2),
      prompt: "Hello",
      maxOutputTokens: 16,
      temperature: 0,
      providerOptions: { proj: { repetitionPenalty: 1.3 } },
    });
    expect(ai.text).toBe(free.text);
    const stop = free.text.slice(3, 6);
    const cut = await generateText({ model: proj(GPT2), prompt: "Hello", maxOutputTokens: 16, temperature: 0, stopSequences: [stop] });
    const own = await generate("Hello", { model: GPT2, maxNewTokens: 16, temperature: 0, stop });
    expect(cut.text).toBe(own.text);
    expect(cut.finishReason).toBe("stop");
  });

  it("a conversation is rendered with the chat template, as chat() renders it", async () => {
    const model = proj(GPT2, { chatTemplate: CHATML });
    const ai = await generateText({ model, system: "Be brief.", prompt: "Hi there", maxOutputTokens: 8, temperature: 0 });
    const own = await chat(
      [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi there" },
      ],
      { model: GPT2, chatTemplate: CHATML, maxNewTokens: 8, temperature: 0 },
    );
    expect(ai.text).toBe(own.text);
    expect(ai.usage.inputTokens).toBe(own.metrics.promptTokens);
  });

  it("a handle can be the model: the provider uses it as it is", async () => {
    const generator = await createGenerator(GPT2);
    try {
      const ai = await generateText({ model: proj(generator), prompt: "Once upon a time", maxOutputTokens: 6, temperature: 0 });
      expect(ai.text).toBe((await generator.generate("Once upon a time", { maxNewTokens: 6, temperature: 0 })).text);
    } finally {
      await generator.dispose();
    }
  });

  it("aborting a stream ends it with an abort part, and the generator's rows are freed", async () => {
    const generator = await createGenerator(GPT2);
    try {
      const controller = new AbortController();
      const ai = streamText({
        model: proj(generator),
        prompt: "Once",
        maxOutputTokens: 100,
        temperature: 0,
        abortSignal: controller.signal,
      });
      const types: string[] = [];
      let deltas = 0;
      for await (const part of ai.fullStream) {
        types.push(part.type);
        if (part.type === "text-delta" && ++deltas === 3) controller.abort();
      }
      expect(deltas).toBe(3);
      expect(types.at(-1)).toBe("abort");
      expect(types).not.toContain("finish");
      // The generation stops at the next decode step: no row keeps decoding (the batcher's count returns to 0).
      while (generator.batchStats().running > 0) await new Promise((r) => setTimeout(r, 10));
      expect(generator.batchStats()).toEqual({ running: 0, queued: 0 });
    } finally {
      await generator.dispose();
    }
  });
});

describe("what the provider refuses, by name", () => {
  it("a conversation to a model without a chat template, tools, file parts, unknown settings and options", async () => {
    await expect(generateText({ model: proj(GPT2), system: "Be brief.", prompt: "Hi", maxOutputTokens: 2 })).rejects.toThrow(
      /no chat template/,
    );
    await expect(
      generateText({
        model: proj(GPT2, { chatTemplate: CHATML }),
        prompt: "Hi",
        tools: { weather: { description: "weather", inputSchema: jsonSchema({ type: "object", properties: {} }) } },
      }),
    ).rejects.toThrow(/tools/);
    expect(() => proj(GPT2, { chatTemplat: CHATML } as never)).toThrow(/chatTemplat.*chatTemplate/s);
    expect(() => createProj({ threads: 2 } as never)).toThrow(InputError);
    await expect(
      generateText({ model: proj(GPT2), prompt: "Hi", maxOutputTokens: 2, providerOptions: { proj: { numBeam: 2 } } }),
    ).rejects.toThrow(/numBeam.*numBeams/s);
    expect(() => proj.imageModel("x")).toThrow(/no image models/);
  });
});
