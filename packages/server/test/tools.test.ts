import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { chatTemplate, fixture } from "@proj/testing";
import { generateObject, generateText, jsonSchema, streamObject, tool } from "ai";
import { Ajv } from "ajv";
import type OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatMessage, type ChatTool, createRemoteGenerator, type ToolCallDelta } from "@proj/decoder";
import { generatorOf, post, type Running, start } from "./helpers.js";

const PARAMS = {
  type: "object",
  properties: { city: { type: "string", maxLength: 12 }, days: { type: "integer", minimum: 1, maximum: 7 } },
  required: ["city", "days"],
  additionalProperties: false,
} as const;
const validArgs = new Ajv().compile(PARAMS);
const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: "function", function: { name: "forecast", description: "Weather forecast", parameters: PARAMS } },
  { type: "function", function: { name: "time", parameters: { type: "object", properties: {}, additionalProperties: false } } },
];
const MESSAGES: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris for 3 days?" }];
/** One greedy call of the forecast tool, as a request's fields. */
const FORECAST_ONCE = {
  model: "gpt2",
  messages: MESSAGES,
  tools: TOOLS,
  tool_choice: { type: "function", function: { name: "forecast" } },
  parallel_tool_calls: false,
  max_tokens: 160,
  temperature: 0,
} as const;
/** One greedy call of any tool (`tool_choice: "required"`), as a request's fields. */
const ONE_REQUIRED_CALL = { ...FORECAST_ONCE, tool_choice: "required" } as const;

let run: Running;
beforeAll(async () => {
  run = await start({ model: fixture("gpt2"), chatTemplate: chatTemplate("hermes-tools") });
});
afterAll(() => run?.server.close());

function expectForecastCalls(
  calls: ReadonlyArray<{ id: string; type?: string; function: { name: string; arguments: string } }> | undefined,
): void {
  expect(calls?.length).toBeGreaterThan(0);
  for (const call of calls ?? []) {
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe("forecast");
    const args = JSON.parse(call.function.arguments) as unknown;
    expect(validArgs(args), JSON.stringify(validArgs.errors)).toBe(true);
  }
}

describe("tool calls through the official openai client", () => {
  it("a named tool_choice answers tool_calls whose arguments validate, finish_reason tool_calls, content null", async () => {
    const answer = await run.client.chat.completions.create({
      ...FORECAST_ONCE,
    });
    const choice = answer.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toHaveLength(1);
    expectForecastCalls(choice?.message.tool_calls as never);
  });

  it("streamed: each call's first delta (id, name) then its arguments in pieces as generated, adding up to the whole answer's calls", async () => {
    const request = {
      ...FORECAST_ONCE,
      tool_choice: "required",
      parallel_tool_calls: true,
      max_tokens: 400,
      temperature: 1,
      seed: 11,
    } as const;
    const whole = await run.client.chat.completions.create(request);
    const stream = await run.client.chat.completions.create({ ...request, stream: true });
    let content = "";
    const calls: Array<{ id: string; type: string; function: { name: string; arguments: string }; chunks: number }> = [];
    let finish: string | null = null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      const choice = chunk.choices[0];
      content += choice?.delta.content ?? "";
      for (const delta of choice?.delta.tool_calls ?? []) {
        if (delta.id !== undefined) {
          expect(delta.index).toBe(calls.length);
          expect(delta.function?.arguments).toBe("");
          calls.push({ id: delta.id, type: delta.type ?? "", function: { name: delta.function?.name ?? "", arguments: "" }, chunks: 0 });
        } else {
          const call = calls[delta.index];
          expect(call, "a piece before its call's first delta").toBeDefined();
          if (call) {
            call.function.arguments += delta.function?.arguments ?? "";
            call.chunks++;
          }
        }
      }
      finish = choice?.finish_reason ?? finish;
    }
    expect(content).not.toContain("<tool_call>");
    expect(finish).toBe("tool_calls");
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.type).toBe("function");
      const args = JSON.parse(call.function.arguments) as unknown;
      if (call.function.name === "time") expect(args).toEqual({});
      else expect([call.function.name, validArgs(args)]).toEqual(["forecast", true]);
    }
    expect(calls[0]?.chunks).toBeGreaterThan(1); // the arguments arrived in several chunks, not whole at the end
    expect(chunks).toBeGreaterThan(calls.length + 2);
    const wholeCalls = whole.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => c.function)).toEqual(wholeCalls.map((c) => (c.type === "function" ? c.function : undefined)));
    const helper = run.client.chat.completions.stream(ONE_REQUIRED_CALL);
    const final = await helper.finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(final.choices[0]?.message.tool_calls?.length).toBe(1);
    for (const call of final.choices[0]?.message.tool_calls ?? []) {
      expect(call.type === "function" && typeof JSON.parse(call.function.arguments)).toBe("object");
    }
  });

  it("the call and its result go back to the template (assistant tool_calls, role tool) and the model answers", async () => {
    const first = await run.client.chat.completions.create(ONE_REQUIRED_CALL);
    const message = first.choices[0]?.message;
    const call = message?.tool_calls?.[0];
    expect(call).toBeDefined();
    const second = await run.client.chat.completions.create({
      model: "gpt2",
      messages: [
        ...MESSAGES,
        { role: "assistant", content: null, tool_calls: message?.tool_calls ?? [] },
        { role: "tool", tool_call_id: call?.id as string, content: '{"forecast": "sunny"}' },
      ],
      tools: TOOLS,
      tool_choice: "none",
      max_tokens: 8,
      temperature: 0,
    });
    expect(second.choices[0]?.message.tool_calls ?? []).toEqual([]);
    expect(second.choices[0]?.finish_reason).toMatch(/stop|length/);
    expect(second.usage?.prompt_tokens).toBeGreaterThan(first.usage?.prompt_tokens ?? 0);
  });

  it("the AI SDK through @ai-sdk/openai-compatible: generateText with a required tool gets validated calls", async () => {
    const provider = createOpenAICompatible({ name: "proj", baseURL: `${run.url}/v1` });
    const result = await generateText({
      model: provider.chatModel("gpt2"),
      prompt: "Weather in Paris?",
      tools: { forecast: tool({ inputSchema: jsonSchema<{ city: string; days: number }>(PARAMS) }) },
      toolChoice: "required",
      maxOutputTokens: 160,
      temperature: 0,
    });
    expect(result.finishReason).toBe("tool-calls");
    expect(result.toolCalls.length).toBeGreaterThan(0);
    for (const call of result.toolCalls) expect(validArgs(call.input)).toBe(true);
  });

  it("the AI SDK's generateObject and streamObject through @ai-sdk/openai-compatible get objects that validate (response_format json_schema)", async () => {
    const provider = createOpenAICompatible({ name: "proj", baseURL: `${run.url}/v1`, supportsStructuredOutputs: true });
    for (const seed of [1, 2]) {
      const { object } = await generateObject({
        model: provider.chatModel("gpt2"),
        schema: jsonSchema<{ city: string; days: number }>(PARAMS),
        prompt: "A forecast request:",
        temperature: 1,
        seed,
        maxOutputTokens: 120,
      });
      expect(validArgs(object), JSON.stringify(validArgs.errors)).toBe(true);
    }
    const streamed = streamObject({
      model: provider.chatModel("gpt2"),
      schema: jsonSchema<{ city: string; days: number }>(PARAMS),
      prompt: "A forecast request:",
      temperature: 0,
      maxOutputTokens: 120,
    });
    const partials: unknown[] = [];
    for await (const partial of streamed.partialObjectStream) partials.push(partial);
    expect(partials.length).toBeGreaterThan(1);
    expect(validArgs(await streamed.object)).toBe(true);
  });

  it("@proj's own remote generator sends tools and reads the calls back, whole and streamed (deltas assembled)", async () => {
    const remote = createRemoteGenerator({ baseURL: `${run.url}/v1`, model: "gpt2" });
    const tools = TOOLS as ChatTool[];
    const options = { tools, toolChoice: { name: "forecast" }, parallelToolCalls: false, maxNewTokens: 160, temperature: 0 } as const;
    const whole = await remote.chat(MESSAGES as ChatMessage[], options);
    expect(whole.toolCalls).toHaveLength(1);
    for (const call of whole.toolCalls) expect(validArgs(call.arguments)).toBe(true);
    const stream = remote.streamChat(MESSAGES as ChatMessage[], options);
    let text = "";
    const deltas: ToolCallDelta[] = [];
    for await (const chunk of stream) {
      text += chunk.text;
      deltas.push(...(chunk.toolCallDeltas ?? []));
    }
    const streamed = await stream.result;
    expect(text).toBe("");
    // The server's deltas reach the remote stream's chunks as they came: first the id and name, then argument pieces.
    expect(deltas.filter((d) => d.id !== undefined).map((d) => [d.id, d.name])).toEqual(streamed.toolCalls.map((c) => [c.id, c.name]));
    const pieces = deltas.filter((d) => d.id === undefined);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.map((d) => d.arguments).join("")).toBe(JSON.stringify(streamed.toolCalls[0]?.arguments));
    expect(streamed.toolCalls.map((c) => [c.name, c.arguments])).toEqual(whole.toolCalls.map((c) => [c.name, c.arguments]));
    const local = await generatorOf(run).chat(MESSAGES as ChatMessage[], { ...options, chatTemplate: chatTemplate("hermes-tools") });
    expect(local.toolCalls.map((c) => [c.name, c.arguments])).toEqual(whole.toolCalls.map((c) => [c.name, c.arguments]));
    const back = await remote.chat(
      [
        ...(MESSAGES as ChatMessage[]),
        { role: "assistant", content: null, toolCalls: whole.toolCalls },
        { role: "tool", toolCallId: whole.toolCalls[0]?.id as string, content: "sunny" },
      ],
      { tools, toolChoice: "none", maxNewTokens: 4 },
    );
    expect(back.toolCalls).toEqual([]);
  });

  it("refusals: tools on /v1/completions, a bad tool, a tool_choice naming no tool, n > 1 with tools", async () => {
    const completion = await post(`${run.url}/v1/completions`, { model: "gpt2", prompt: "Hi", tools: TOOLS });
    expect(completion.status).toBe(400);
    expect(completion.json.error?.param).toBe("tools");
    const bad = await post(`${run.url}/v1/chat/completions`, {
      model: "gpt2",
      messages: MESSAGES,
      tools: [{ type: "function", function: {} }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.param).toBe("tools[0].function.name");
    const named = await post(`${run.url}/v1/chat/completions`, {
      model: "gpt2",
      messages: MESSAGES,
      tools: TOOLS,
      tool_choice: { type: "function", function: { name: "nope" } },
    });
    expect(named.status).toBe(400);
    expect(named.json.error?.message).toMatch(/not one of the tools/);
    const many = await post(`${run.url}/v1/chat/completions`, { model: "gpt2", messages: MESSAGES, tools: TOOLS, n: 2 });
    expect(many.status).toBe(400);
    expect(many.json.error?.param).toBe("n");
  });
});

describe("a model whose own chat template renders tools (the qwen2-tools fixture, no server chatTemplate)", () => {
  let own: Running;
  beforeAll(async () => {
    own = await start({ model: fixture("qwen2-tools"), chatTemplate: undefined });
  });
  afterAll(() => own?.server.close());

  it("streamed tool-call deltas add up to the calls of the same seeded request answered whole", async () => {
    const params = {
      type: "object",
      properties: { city: { enum: ["Paris", "Rome"] }, days: { type: "integer", minimum: 1, maximum: 7 } },
      required: ["city", "days"],
      additionalProperties: false,
    };
    const request = {
      model: "qwen2-tools",
      messages: MESSAGES,
      tools: [{ type: "function" as const, function: { name: "forecast", parameters: params } }],
      tool_choice: "required" as const,
      max_tokens: 200,
      temperature: 1,
      seed: 4,
    };
    const whole = await own.client.chat.completions.create(request);
    const stream = await own.client.chat.completions.create({ ...request, stream: true });
    const calls: Array<{ name: string; arguments: string; pieces: number }> = [];
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (delta.id !== undefined) calls[delta.index] = { name: delta.function?.name ?? "", arguments: "", pieces: 0 };
        const call = calls[delta.index];
        if (call && delta.function?.arguments) {
          call.arguments += delta.function.arguments;
          call.pieces++;
        }
      }
    }
    const wholeCalls = (whole.choices[0]?.message.tool_calls ?? []).map((c) => (c.type === "function" ? c.function : undefined));
    expect(whole.choices[0]?.finish_reason).toBe("tool_calls");
    expect(wholeCalls.length).toBeGreaterThan(0);
    expect(calls.map(({ name, arguments: args }) => ({ name, arguments: args }))).toEqual(wholeCalls);
    expect(calls.every((c) => c.pieces > 1)).toBe(true);
  });
});

describe("text held back in case it began a tool call", () => {
  // A Llama 3 JSON template: a call would start with "{", so a streamed answer holds its text back from a "{" on.
  const LLAMA3_JSON = "{#- <|python_tag|> -#}{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}assistant:";
  let llama3: Running;
  beforeAll(async () => {
    llama3 = await start({ model: fixture("gpt2"), chatTemplate: LLAMA3_JSON });
  });
  afterAll(() => llama3?.server.close());

  it("reaches a streamed response at the end when it was text after all: the deltas add up to the whole answer", async () => {
    const request = {
      model: "gpt2",
      messages: MESSAGES,
      tools: TOOLS,
      tool_choice: "auto",
      max_tokens: 40,
      temperature: 0,
      guided_regex: "ok \\{[a-z]{3}\\}",
    } as const;
    const whole = await llama3.client.chat.completions.create(request as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming);
    const text = whole.choices[0]?.message.content ?? "";
    expect(text).toMatch(/^ok \{[a-z]{3}\}$/);
    expect(whole.choices[0]?.message.tool_calls ?? []).toEqual([]);
    const stream = await llama3.client.chat.completions.create({
      ...(request as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming),
      stream: true,
    });
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? "";
    expect(streamed).toBe(text);
  });
});
