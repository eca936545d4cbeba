import { disposeCachedHandles, InputError } from "@proj/core";
import { type ChatMessage, type ChatTool, chat, createGenerator, generate, renderChat } from "@proj/decoder";
import { chatTemplate, fixture } from "@proj/testing";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HERMES } from "../src/tools/formats/hermes.js";
import { LLAMA3_JSON } from "../src/tools/formats/llama3.js";
import { MISTRAL } from "../src/tools/formats/mistral.js";
import { HeldText } from "../src/tools/held-text.js";
import { toolCallFormatOf } from "../src/tools/choose-format.js";
import { toolCallGrammar } from "../src/tools/tool-grammar.js";

const GPT2 = fixture("gpt2");
const TEMPLATE = chatTemplate("hermes-tools");

const WEATHER: ChatTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather of a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string", maxLength: 12 }, unit: { enum: ["celsius", "fahrenheit"] } },
      required: ["city"],
      additionalProperties: false,
    },
  },
};
const ADD: ChatTool = {
  type: "function",
  function: {
    name: "add",
    parameters: {
      type: "object",
      properties: { a: { type: "integer", minimum: -100, maximum: 100 }, b: { type: "integer", minimum: 0, maximum: 9 } },
      required: ["a", "b"],
      additionalProperties: false,
    },
  },
};
const TOOLS = [WEATHER, ADD];
const ASK: ChatMessage[] = [{ role: "user", content: "What is the weather in Paris?" }];
const validators = new Map(TOOLS.map((t) => [t.function.name, new Ajv().compile(t.function.parameters as object)]));

function expectValidCalls(calls: ReadonlyArray<{ id: string; name: string; arguments: Record<string, unknown> }>): void {
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    const validate = validators.get(call.name);
    expect(validate, `unknown tool ${call.name}`).toBeDefined();
    expect(validate?.(call.arguments), JSON.stringify(validate?.errors)).toBe(true);
    expect(call.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
  }
}

afterAll(() => disposeCachedHandles());

describe("tool-call formats", () => {
  it("Hermes: calls between <tool_call> tags, text before them kept, text that is not a call left as text", () => {
    const answer =
      'Let me check.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>\n<tool_call>\n{"name": "add", "arguments": {"a": 1, "b": 2}}\n</tool_call>';
    expect(HERMES.parse(answer)).toEqual({
      content: "Let me check.\n",
      calls: [
        { name: "get_weather", arguments: { city: "Paris" } },
        { name: "add", arguments: { a: 1, b: 2 } },
      ],
    });
    expect(HERMES.parse("<tool_call>\n{not json}\n</tool_call>")).toEqual({ content: "<tool_call>\n{not json}\n</tool_call>", calls: [] });
    expect(HERMES.parse("No tools needed.")).toEqual({ content: "No tools needed.", calls: [] });
  });

  it("Llama 3 JSON ({name, parameters}, after <|python_tag|>, ; between calls) and Mistral ([TOOL_CALLS] [...])", () => {
    expect(
      LLAMA3_JSON.parse(
        '<|python_tag|>{"name": "add", "parameters": {"a": 1, "b": 2}}; {"name": "get_weather", "parameters": {"city": "a;b"}}',
      ),
    ).toEqual({
      content: "",
      calls: [
        { name: "add", arguments: { a: 1, b: 2 } },
        { name: "get_weather", arguments: { city: "a;b" } },
      ],
    });
    expect(LLAMA3_JSON.parse("The answer is 3.").calls).toEqual([]);
    expect(MISTRAL.parse('[TOOL_CALLS] [{"name": "add", "arguments": {"a": 1, "b": 2}}]')).toEqual({
      content: "",
      calls: [{ name: "add", arguments: { a: 1, b: 2 } }],
    });
    expect(MISTRAL.newId()).toMatch(/^[A-Za-z0-9]{9}$/);
  });

  it("the format is read from the template", () => {
    expect(toolCallFormatOf(TEMPLATE)).toBe(HERMES);
    expect(toolCallFormatOf("{{ '[AVAILABLE_TOOLS]' }}{{ '[TOOL_CALLS]' }}")).toBe(MISTRAL);
    expect(toolCallFormatOf("<|start_header_id|>ipython<|end_header_id|>{{ '<|python_tag|>' }}")).toBe(LLAMA3_JSON);
    expect(toolCallFormatOf(undefined)).toBe(HERMES);
  });

  it("a stream holds text back from where a call may start", () => {
    const held = new HeldText("<tool_call>");
    expect(held.push("Sure. <to")).toBe("Sure. ");
    expect(held.push("ol_call>\n{")).toBe("");
    expect(held.push('"name"')).toBe("");
    const other = new HeldText("<tool_call>");
    expect(other.push("a <")).toBe("a ");
    expect(other.push("b>c")).toBe("<b>c");
  });
});

describe("chat with tools on the GPT-2 fixture (random weights: any output, so constraints are tested hard)", () => {
  let generator: Awaited<ReturnType<typeof createGenerator>>;
  beforeAll(async () => {
    generator = await createGenerator(GPT2);
  });
  afterAll(() => generator.dispose());

  it("renders tools, earlier calls and tool results through the template, as apply_chat_template(tools=...) does", () => {
    const prompt = renderChat(
      generator.model,
      [
        { role: "system", content: "Be brief." },
        ...ASK,
        { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }] },
        { role: "tool", toolCallId: "call_1", name: "get_weather", content: '{"temperature": 21}' },
      ],
      { chatTemplate: TEMPLATE, templateVariables: { tools: TOOLS } },
    );
    expect(prompt).toContain("Be brief.\n\n# Tools");
    expect(prompt).toMatch(/<tools>\n\{"type": ?"function", ?"function": ?\{"name": ?"get_weather"/);
    expect(prompt).toContain('<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>');
    expect(prompt).toContain('<tool_response>\n{"temperature": 21}\n</tool_response>');
    expect(prompt.endsWith("<|im_start|>assistant\n")).toBe(true);
  });

  it('toolChoice "required": every sampled answer is calls whose arguments validate against their tool (ajv)', async () => {
    let complete = 0;
    for (let seed = 0; seed < 12; seed++) {
      const result = await generator.chat(ASK, {
        chatTemplate: TEMPLATE,
        tools: TOOLS,
        toolChoice: "required",
        doSample: true,
        temperature: 1,
        seed,
        maxNewTokens: 160,
      });
      if (result.finishReason === "length") continue; // cut mid-call by maxNewTokens: no complete call to check
      expectValidCalls(result.toolCalls);
      expect(result.text).toBe("");
      complete++;
    }
    expect(complete).toBeGreaterThanOrEqual(6);
  });

  it("a named tool is the one called; parallelToolCalls false gives exactly one call; greedy too", async () => {
    const named = await generator.chat(ASK, {
      chatTemplate: TEMPLATE,
      tools: TOOLS,
      toolChoice: { name: "add" },
      parallelToolCalls: false,
      maxNewTokens: 160,
    });
    expect(named.finishReason).toBe("stop");
    expectValidCalls(named.toolCalls);
    expect(new Set(named.toolCalls.map((c) => c.name))).toEqual(new Set(["add"]));
    const single = await generator.chat(ASK, {
      chatTemplate: TEMPLATE,
      tools: TOOLS,
      toolChoice: "required",
      parallelToolCalls: false,
      doSample: true,
      seed: 3,
      maxNewTokens: 160,
    });
    expect(single.finishReason).toBe("stop");
    expect(single.toolCalls).toHaveLength(1);
    expectValidCalls(single.toolCalls);
  });

  it("streamChat shows no call markup; the calls are in the result; the deltas add up to its text", async () => {
    const s = generator.streamChat(ASK, {
      chatTemplate: TEMPLATE,
      tools: TOOLS,
      toolChoice: "required",
      seed: 1,
      doSample: true,
      maxNewTokens: 160,
    });
    let streamed = "";
    for await (const chunk of s) streamed += chunk.text;
    const result = await s.result;
    expect(streamed).not.toContain("<tool_call>");
    expect(streamed).toBe(result.text);
    if (result.finishReason === "stop") expectValidCalls(result.toolCalls);
  });

  it('"auto" on a model that answers in text gives the text and no calls; "none" renders the tools but reads no calls', async () => {
    const auto = await generator.chat(ASK, { chatTemplate: TEMPLATE, tools: TOOLS, maxNewTokens: 12 });
    const plain = await generate(renderChat(generator.model, ASK, { chatTemplate: TEMPLATE, templateVariables: { tools: TOOLS } }), {
      model: generator,
      maxNewTokens: 12,
      addSpecialTokens: false,
    });
    expect(auto.toolCalls).toEqual([]);
    expect(auto.text).toBe(plain.text);
    const none = await chat(ASK, { model: generator, chatTemplate: TEMPLATE, tools: TOOLS, toolChoice: "none", maxNewTokens: 12 });
    expect(none.toolCalls).toEqual([]);
    expect(none.text).toBe(plain.text);
  });

  it("the Llama 3 and Mistral grammars force calls their parsers read back, valid by ajv", async () => {
    for (const format of [LLAMA3_JSON, MISTRAL]) {
      const grammar = toolCallGrammar(format, { tools: TOOLS, choice: "required", parallel: true }) as string;
      // A random model may go on adding parallel calls past the budget: every answer that ends is read back and checked.
      let ended = 0;
      for (let seed = 5; seed < 11; seed++) {
        const result = await generator.generate("Call a tool:", {
          responseFormat: { type: "grammar", grammar },
          doSample: true,
          seed,
          maxNewTokens: 160,
        });
        if (result.finishReason === "length") continue;
        expect(result.finishReason, `${format.name}: ${result.text}`).toBe("stop");
        const { calls } = format.parse(result.text);
        expect(calls.length).toBeGreaterThan(0);
        expectValidCalls(calls.map((c) => ({ ...c, id: `call_${"x".repeat(24)}` })));
        ended++;
      }
      expect(ended, format.name).toBeGreaterThanOrEqual(2);
    }
  });

  it("bad tool options are InputErrors naming the field", async () => {
    const call = (options: object) => generator.chat(ASK, { chatTemplate: TEMPLATE, maxNewTokens: 2, ...options });
    await expect(call({ tools: [{ type: "function", function: { name: "bad name" } }] })).rejects.toThrow(/tools\[0\]\.function\.name/);
    await expect(call({ tools: [WEATHER, WEATHER] })).rejects.toThrow(/given twice/);
    await expect(call({ tools: TOOLS, toolChoice: { name: "nope" } })).rejects.toThrow(/not one of the tools/);
    await expect(call({ toolChoice: "required" })).rejects.toThrow(InputError);
    await expect(call({ tools: TOOLS, toolChoice: "required", responseFormat: { type: "json_object" } })).rejects.toThrow(
      /cannot also take responseFormat/,
    );
    await expect(call({ tool: TOOLS })).rejects.toThrow(/tools/);
  });
});
