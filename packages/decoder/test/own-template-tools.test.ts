import { disposeCachedHandles } from "@proj/core";
import { type ChatMessage, type ChatTool, createGenerator, type LocalGenerator, renderChat, type ToolCallDelta } from "@proj/decoder";
import { fixture, loadOracle } from "@proj/testing";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The Qwen2 fixture whose tokenizer_config.json carries a ChatML template that renders tools (no chatTemplate option here). */
const QWEN = fixture("qwen2-tools");
const IM_END = 2258;
const END_OF_TEXT = 2256;

const WEATHER: ChatTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather of a city",
    parameters: {
      type: "object",
      properties: {
        city: { enum: ["Paris", "Rome", "Tokyo"] },
        days: { type: "integer", minimum: 1, maximum: 7 },
        unit: { enum: ["celsius", "fahrenheit"] },
      },
      required: ["city", "days", "unit"],
      additionalProperties: false,
    },
  },
};
const ASK: ChatMessage[] = [
  { role: "system", content: "You are a helpful assistant." },
  { role: "user", content: "What is the weather in Paris?" },
];
const validWeather = new Ajv().compile(WEATHER.function.parameters as object);

let generator: LocalGenerator;
beforeAll(async () => {
  generator = await createGenerator(QWEN, { load: { threads: 1 } });
});
afterAll(async () => {
  await generator.dispose();
  await disposeCachedHandles();
});

describe("the qwen2-tools fixture against transformers.js", () => {
  it("greedy ids equal transformers.js's generate(), for plain text and a rendered chat prompt", async () => {
    const oracle = await loadOracle();
    const tokenizer = await oracle.AutoTokenizer.from_pretrained(QWEN);
    const model = await oracle.AutoModelForCausalLM.from_pretrained(QWEN, { dtype: "fp32" });
    const chatPrompt = renderChat(generator.model, ASK, {});
    for (const prompt of ["The quick brown fox", "Hello, world! 123", chatPrompt]) {
      const inputs = tokenizer(prompt, { add_special_tokens: false });
      const promptLength = (inputs.input_ids.dims as number[])[1] as number;
      const out = (await model.generate({ ...inputs, max_new_tokens: 16, do_sample: false })) as { tolist(): bigint[][] };
      const row = (out.tolist()[0] ?? []).slice(promptLength).map(Number);
      const end = row.findIndex((id) => id === IM_END || id === END_OF_TEXT);
      const want = end < 0 ? row : row.slice(0, end);
      const mine = await generator.generate(prompt, { maxNewTokens: 16, addSpecialTokens: false });
      expect(mine.tokenIds, prompt).toEqual(want);
      expect(want.length).toBeGreaterThan(0);
    }
    await model.dispose();
  });

  it("the model's own template renders tools as transformers.js's apply_chat_template(tools=...) does", async () => {
    const oracle = await loadOracle();
    const tokenizer = await oracle.AutoTokenizer.from_pretrained(QWEN);
    const want = tokenizer.apply_chat_template(ASK as Array<{ role: string; content: string }>, {
      tools: [WEATHER] as unknown as Record<string, unknown>[],
      tokenize: false,
      add_generation_prompt: true,
    }) as string;
    const rendered = renderChat(generator.model, ASK, { templateVariables: { tools: [WEATHER] } });
    expect(rendered).toBe(want);
    expect(rendered).toContain("<tools>");
    expect(rendered).toContain(JSON.stringify(WEATHER.function.description));
    expect(rendered).toContain('"get_weather"');
    expect(rendered).toContain("You are a helpful assistant.");
  });
});

describe("chat with tools through the model's own template (no chatTemplate option)", () => {
  it('toolChoice "required": the prompt shows the tools and the answer is a valid call', async () => {
    const plain = await generator.chat(ASK, { maxNewTokens: 1 });
    const result = await generator.chat(ASK, { tools: [WEATHER], toolChoice: "required", parallelToolCalls: false, maxNewTokens: 120 });
    // The tools went into the prompt: it is the rendering with tools, longer than the one without.
    const withTools = renderChat(generator.model, ASK, { templateVariables: { tools: [WEATHER] } });
    const ids = await generator.model.tokenizer.encode(withTools, { addSpecialTokens: false });
    expect(result.metrics.promptTokens).toBe(ids.ids.length);
    expect(result.metrics.promptTokens).toBeGreaterThan(plain.metrics.promptTokens);
    expect(result.finishReason).toBe("stop");
    expect(result.toolCalls).toHaveLength(1);
    const [call] = result.toolCalls;
    expect(call?.name).toBe("get_weather");
    expect(call?.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(validWeather(call?.arguments), JSON.stringify(validWeather.errors)).toBe(true);
    expect(result.text).toBe("");
  });

  it("streamChat: the call streams as deltas adding up to the result's call; the call and its result go back through the template", async () => {
    const s = generator.streamChat(ASK, {
      tools: [WEATHER],
      toolChoice: { name: "get_weather" },
      seed: 2,
      doSample: true,
      maxNewTokens: 200,
    });
    const deltas: ToolCallDelta[] = [];
    let text = "";
    for await (const chunk of s) {
      text += chunk.text;
      deltas.push(...(chunk.toolCallDeltas ?? []));
    }
    const result = await s.result;
    expect(text).toBe(result.text);
    expect(text).not.toContain("<tool_call>");
    expect(result.toolCalls.length).toBeGreaterThan(0);
    const firsts = deltas.filter((d) => d.id !== undefined);
    expect(firsts.map((d) => [d.index, d.id, d.name])).toEqual(result.toolCalls.map((c, i) => [i, c.id, c.name]));
    for (const [i, call] of result.toolCalls.entries()) {
      const pieces = deltas.filter((d) => d.index === i && d.id === undefined).map((d) => d.arguments);
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.join("")).toBe(JSON.stringify(call.arguments));
      expect(validWeather(call.arguments)).toBe(true);
    }
    const back = renderChat(generator.model, [
      ...ASK,
      { role: "assistant", content: "", toolCalls: result.toolCalls },
      { role: "tool", toolCallId: result.toolCalls[0]?.id as string, content: '{"temperature": 21}' },
    ]);
    const echoed = /<tool_call>\n(\{"name": "get_weather", "arguments": .*\})\n<\/tool_call><\|im_end\|>/.exec(back)?.[1];
    expect(JSON.parse(echoed ?? "null")).toEqual({ name: "get_weather", arguments: result.toolCalls[0]?.arguments });
    expect(back).toContain('<tool_response>\n{"temperature": 21}\n</tool_response>');
  });
});
