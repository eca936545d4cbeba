import { createProj, proj } from "@proj/ai-sdk";
import { toChatMessages } from "../src/language-model/convert-prompt.js";
import { disposeCachedHandles, InputError } from "@proj/core";
import { chat, createGenerator, generate, renderChat, stream } from "@proj/decoder";
import { chatTemplate, fixture } from "@proj/testing";
import { Ajv } from "ajv";
import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { generateText, jsonSchema, stepCountIs, streamText, tool, wrapLanguageModel } from "ai";
import { afterAll, describe, expect, it } from "vitest";

const GPT2 = fixture("gpt2");
// A ChatML template (the convention of Qwen and Hermes models), written here for the fixture, which has none.
const CHATML =
  "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

afterAll(() => disposeCachedHandles());

describe("a prompt's tool calls", () => {
  it("take their input as an object or as JSON text of one; anything else is an InvalidPromptError", () => {
    const prompt = (input: unknown): LanguageModelV3Prompt => [
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "weather", input }] },
    ];
    for (const input of [{ city: "Paris" }, '{"city":"Paris"}']) {
      expect(toChatMessages(prompt(input))[0]?.toolCalls).toEqual([{ id: "c1", name: "weather", arguments: { city: "Paris" } }]);
    }
    for (const input of ["{not json", "[1]", 3]) {
      expect(() => toChatMessages(prompt(input))).toThrow(/tool call whose input is not an object/);
    }
  });
});

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

  it("usage tells the prompt tokens read from the prefix cache (cacheRead) from those computed (noCache)", async () => {
    const system = "You answer questions about the library's opening hours, loans and fines, briefly and politely.";
    const call = { model: proj(GPT2, { chatTemplate: CHATML }), system, maxOutputTokens: 4, temperature: 0 } as const;
    const first = await generateText({ ...call, prompt: "When do you open?" });
    const second = await generateText({ ...call, prompt: "How long is a loan?" });
    const { inputTokens } = second.usage;
    expect(inputTokens).toBeGreaterThan(0);
    expect(second.usage.inputTokenDetails.cacheReadTokens).toBeGreaterThanOrEqual(16);
    expect(second.usage.inputTokenDetails.noCacheTokens).toBe((inputTokens ?? 0) - (second.usage.inputTokenDetails.cacheReadTokens ?? 0));
    expect(first.usage.inputTokenDetails.cacheReadTokens ?? 0).toBeLessThanOrEqual(second.usage.inputTokenDetails.cacheReadTokens ?? 0);
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

describe("tools through the ai package", () => {
  const TOOLS_TEMPLATE = chatTemplate("hermes-tools");
  const cityParams = {
    type: "object",
    properties: { city: { type: "string", maxLength: 12 } },
    required: ["city"],
    additionalProperties: false,
  } as const;
  const validCity = new Ajv().compile(cityParams);

  it("toolChoice required: generateText returns tool calls whose input validates, runs the tool, and sends the result back", async () => {
    const calls: unknown[] = [];
    const weather = tool({
      description: "Current weather of a city",
      inputSchema: jsonSchema<{ city: string }>(cityParams),
      execute: async (input) => {
        calls.push(input);
        return { temperature: 21 };
      },
    });
    const model = proj(GPT2, { chatTemplate: TOOLS_TEMPLATE });
    const result = await generateText({
      model,
      prompt: "Weather in Paris?",
      tools: { weather },
      toolChoice: "required",
      maxOutputTokens: 120,
      temperature: 0,
    });
    const step = result.steps[0];
    expect(step?.finishReason).toBe("tool-calls");
    expect(step?.toolCalls.length).toBeGreaterThan(0);
    for (const call of step?.toolCalls ?? []) {
      expect(call.toolName).toBe("weather");
      expect(validCity(call.input), JSON.stringify(validCity.errors)).toBe(true);
    }
    expect(calls).toEqual(step?.toolCalls.map((c) => c.input));
    expect(step?.toolResults.map((r) => r.output)).toEqual(calls.map(() => ({ temperature: 21 })));
  });

  it("a second step sends the call and its result back, rendered through the template (multi-step with stopWhen)", async () => {
    const weather = tool({ inputSchema: jsonSchema<{ city: string }>(cityParams), execute: async () => "sunny" });
    const prompts: LanguageModelV3Prompt[] = [];
    const model = wrapLanguageModel({
      model: proj(GPT2, { chatTemplate: TOOLS_TEMPLATE }),
      middleware: {
        specificationVersion: "v3",
        transformParams: async ({ params }) => {
          prompts.push(params.prompt);
          return params;
        },
      },
    });
    const result = await generateText({
      model,
      prompt: "Weather in Paris?",
      tools: { weather },
      prepareStep: ({ stepNumber }) => ({ toolChoice: stepNumber === 0 ? "required" : "none" }),
      stopWhen: stepCountIs(2),
      maxOutputTokens: 120,
      temperature: 0,
    });
    expect(result.steps).toHaveLength(2);
    const [first, second] = result.steps;
    expect(first?.toolCalls.length).toBeGreaterThan(0);
    expect(second?.toolCalls).toEqual([]);
    const sent = toChatMessages(prompts[1] as LanguageModelV3Prompt);
    const call = first?.toolCalls[0];
    expect(sent).toContainEqual(
      expect.objectContaining({
        role: "assistant",
        toolCalls: expect.arrayContaining([expect.objectContaining({ id: call?.toolCallId, name: "weather" })]),
      }),
    );
    expect(sent).toContainEqual({ role: "tool", toolCallId: call?.toolCallId, name: "weather", content: "sunny" });
    const generator = await createGenerator(GPT2);
    try {
      const rendered = renderChat(generator.model, sent, { chatTemplate: TOOLS_TEMPLATE });
      expect(rendered).toContain("<tool_response>\nsunny\n</tool_response>");
    } finally {
      await generator.dispose();
    }
  });

  it("streamText with a named tool streams the call as it is generated (input start, deltas, end, then the call) and no markup as text", async () => {
    const weather = tool({ inputSchema: jsonSchema<{ city: string }>(cityParams) });
    const model = proj(GPT2, { chatTemplate: TOOLS_TEMPLATE });
    const result = streamText({
      model,
      prompt: "Weather?",
      tools: { weather },
      toolChoice: { type: "tool", toolName: "weather" },
      maxOutputTokens: 120,
      temperature: 0,
    });
    const types: string[] = [];
    const inputs = new Map<string, string[]>();
    let text = "";
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === "text-delta") text += part.text;
      if (part.type === "tool-input-start") inputs.set(part.id, []);
      if (part.type === "tool-input-delta") inputs.get(part.id)?.push(part.delta);
    }
    expect(text).not.toContain("<tool_call>");
    const calls = await result.toolCalls;
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(validCity(call.input)).toBe(true);
      const pieces = inputs.get(call.toolCallId) ?? [];
      expect(pieces.length).toBeGreaterThan(1); // the input came in pieces as it was generated
      expect(pieces.join("")).toBe(JSON.stringify(call.input));
    }
    const first = (type: string) => types.indexOf(type);
    expect(first("tool-input-start")).toBeGreaterThan(-1);
    expect(first("tool-input-start")).toBeLessThan(first("tool-input-delta"));
    expect(first("tool-input-delta")).toBeLessThan(first("tool-input-end"));
    expect(first("tool-input-end")).toBeLessThan(first("tool-call"));
    expect(await result.finishReason).toBe("tool-calls");
  });
  it("a model whose own template renders tools (the qwen2-tools fixture, no chatTemplate setting): streamText streams its call", async () => {
    const params = {
      type: "object",
      properties: { city: { enum: ["Paris", "Rome"] }, days: { type: "integer", minimum: 1, maximum: 7 } },
      required: ["city", "days"],
      additionalProperties: false,
    } as const;
    const valid = new Ajv().compile(params);
    const result = streamText({
      model: proj(fixture("qwen2-tools")),
      prompt: "Weather in Paris for 3 days?",
      tools: { forecast: tool({ inputSchema: jsonSchema<{ city: string; days: number }>(params) }) },
      toolChoice: "required",
      maxOutputTokens: 200,
      temperature: 0,
    });
    let deltas = 0;
    for await (const part of result.fullStream) if (part.type === "tool-input-delta") deltas++;
    const calls = await result.toolCalls;
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect([call.toolName, valid(call.input)]).toEqual(["forecast", true]);
    expect(deltas).toBeGreaterThan(calls.length);
    expect(await result.finishReason).toBe("tool-calls");
  });
});

describe("what the provider refuses, by name", () => {
  it("a conversation to a model without a chat template, tools, file parts, unknown settings and options", async () => {
    await expect(generateText({ model: proj(GPT2), system: "Be brief.", prompt: "Hi", maxOutputTokens: 2 })).rejects.toThrow(
      /no chat template/,
    );
    await expect(
      generateText({
        model: proj(GPT2),
        prompt: "Hi",
        tools: { weather: { description: "weather", inputSchema: jsonSchema({ type: "object", properties: {} }) } },
      }),
    ).rejects.toThrow(/cannot be shown tools/);
    expect(() => proj(GPT2, { chatTemplat: CHATML } as never)).toThrow(/chatTemplat.*chatTemplate/s);
    expect(() => createProj({ threads: 2 } as never)).toThrow(InputError);
    await expect(
      generateText({ model: proj(GPT2), prompt: "Hi", maxOutputTokens: 2, providerOptions: { proj: { numBeam: 2 } } }),
    ).rejects.toThrow(/numBeam.*numBeams/s);
    expect(() => proj.imageModel("x")).toThrow(/no image models/);
  });
});
