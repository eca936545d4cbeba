import { disposeCachedHandles } from "@proj/core";
import { type ChatMessage, type ChatTool, createGenerator, type ToolCallDelta } from "@proj/decoder";
import { chatTemplate, fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CanonicalJsonReader } from "../src/tools/canonical-json.js";
import { HERMES } from "../src/tools/formats/hermes.js";
import { LLAMA3_JSON } from "../src/tools/formats/llama3.js";
import { MISTRAL } from "../src/tools/formats/mistral.js";
import type { ToolCallFormat } from "../src/tools/formats/tool-call-format.js";
import { ToolCallStream } from "../src/tools/tool-call-stream.js";

afterAll(() => disposeCachedHandles());

/** Feeds text to a reader one character at a time, as a stream would. */
function canonical(text: string): { out: string; complete: boolean; failed: boolean } {
  const reader = new CanonicalJsonReader();
  let out = "";
  for (const c of text) {
    reader.read(c);
    out += reader.take();
  }
  return { out, complete: reader.complete, failed: reader.failed };
}

/** The calls a stream of deltas adds up to: name, id and the arguments' text, by index. */
function assemble(deltas: readonly ToolCallDelta[]): Array<{ id: string; name: string; arguments: string; pieces: number }> {
  const calls: Array<{ id: string; name: string; arguments: string; pieces: number }> = [];
  for (const d of deltas) {
    if (d.id !== undefined) {
      expect(d.index).toBe(calls.length); // a call's first delta comes before any of its pieces, in index order
      expect(d.arguments).toBe("");
      calls.push({ id: d.id, name: d.name ?? "", arguments: "", pieces: 0 });
      continue;
    }
    const call = calls[d.index];
    expect(call, `a piece of call ${d.index} before its first delta`).toBeDefined();
    if (call) {
      call.arguments += d.arguments;
      call.pieces++;
    }
  }
  return calls;
}

/** Streams `text` through a call stream in pieces of `size` characters. */
function streamIn(format: ToolCallFormat, text: string, size: number, names = ["get_weather", "add", "ping"]): ToolCallDelta[] {
  const stream = new ToolCallStream(format, names);
  const deltas: ToolCallDelta[] = [];
  for (let i = 0; i < text.length; i += size) deltas.push(...stream.push(text.slice(i, i + size)));
  return deltas;
}

describe("CanonicalJsonReader: streamed JSON written as JSON.stringify(JSON.parse(text))", () => {
  it("drops whitespace, normalises escapes and numbers, and ends where the value ends", () => {
    const texts = [
      '{"city": "Paris", "unit": "celsius"}',
      '{ "a" : 1.0 , "b" : -0 , "c" : 1e2, "d": 12.50, "e": -3.25E-2 }',
      '{"s": "tab\\tquote\\" slash\\/ back\\\\ \\u0041\\u00e9\\u2028 \\ud83d\\ude00 lone \\ud800x \\udc00 nul \\u0000 \\b\\f\\n\\r"}',
      '{"nested": {"list": [1, [2, {}], [], {"x": null}], "t": true, "f": false}, "empty": ""}',
      '  [ "x" , { } ]',
      '"just a string é 😀"',
      "{}",
      '{"k": "\\u0022\\u005C"}',
    ];
    for (const text of texts) {
      const { out, complete, failed } = canonical(text);
      expect(failed, text).toBe(false);
      expect(complete, text).toBe(true);
      expect(out, text).toBe(JSON.stringify(JSON.parse(text)));
    }
  });

  it("marks text that is not JSON as failed, and a value cut short as not complete", () => {
    for (const bad of ['{"a" 1}', "{a: 1}", '{"a": tru}', '["a",]x', '{"a": "raw\ncontrol"}', '"\\x"']) {
      expect(canonical(bad).failed, bad).toBe(true);
    }
    expect(canonical('{"a": [1, 2').complete).toBe(false);
    const number = new CanonicalJsonReader();
    for (const c of "12") number.read(c);
    expect(number.complete).toBe(false); // a number ends only at the next character
    expect(number.read(";")).toBe(false);
    expect([number.complete, number.take()]).toEqual([true, "12"]);
  });
});

describe("ToolCallStream: OpenAI-style deltas as calls are generated", () => {
  const answers: Array<[ToolCallFormat, string]> = [
    [
      HERMES,
      'Let me check.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Par\\u00eds", "unit": "celsius"}}\n</tool_call>\n<tool_call>\n{"name": "add", "arguments": {"a": -1.0, "b": 2}}\n</tool_call>',
    ],
    [LLAMA3_JSON, '<|python_tag|>{"name": "add", "parameters": {"a": 1, "b": 2}}; {"name": "get_weather", "parameters": {"city": "a;b"}}'],
    [LLAMA3_JSON, ' {"parameters": {"b": 20}, "name": "add"}'],
    [MISTRAL, '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Nice"}}, {"name": "ping", "arguments": {}}]'],
    [MISTRAL, '[TOOL_CALLS] {"name": "ping"}'],
    [HERMES, '<tool_call>\n{"name": "get_weather", "arguments": "{\\"city\\": \\"Rome\\"}"}\n</tool_call>'],
  ];

  it("every format, any split of the text: the pieces add up to JSON.stringify of the parsed arguments", () => {
    for (const [format, text] of answers) {
      const parsed = format.parse(text);
      expect(parsed.calls.length, text).toBeGreaterThan(0);
      for (const size of [1, 2, 3, 7, text.length]) {
        const calls = assemble(streamIn(format, text, size));
        expect(
          calls.map((c) => ({ name: c.name, arguments: c.arguments })),
          `${format.name} in pieces of ${size}: ${text}`,
        ).toEqual(parsed.calls.map((c) => ({ name: c.name, arguments: JSON.stringify(c.arguments) })));
      }
    }
  });

  it("arguments stream in pieces as they come; ids are the format's", () => {
    const [format, text] = answers[0] as [ToolCallFormat, string];
    const calls = assemble(streamIn(format, text, 4));
    expect(calls[0]?.pieces).toBeGreaterThan(3);
    expect(calls[0]?.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    const mistral = assemble(streamIn(MISTRAL, (answers[3] as [ToolCallFormat, string])[1], 1));
    expect(mistral[0]?.id).toMatch(/^[A-Za-z0-9]{9}$/);
  });

  it("text, an unknown tool, or a broken call streams no call", () => {
    expect(streamIn(HERMES, "No tools needed, <b>really</b>.", 3)).toEqual([]);
    expect(streamIn(HERMES, '<tool_call>\n{"name": "nope", "arguments": {"x": 1}}\n</tool_call>', 5)).toEqual([]);
    expect(streamIn(HERMES, "<tool_call>\n[not a call]", 5)).toEqual([]);
    expect(streamIn(LLAMA3_JSON, 'Sure: {"name": "add", "parameters": {}}', 5)).toEqual([]);
    // A call named before its arguments broke the format: its first delta went out; the answer has no calls.
    expect(streamIn(MISTRAL, '[TOOL_CALLS] [{"name": "add", "arguments": [1]}]', 5)).toEqual([
      { index: 0, id: expect.any(String), name: "add", arguments: "" },
    ]);
  });
});

const WEATHER: ChatTool = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: {
      type: "object",
      properties: { city: { type: "string", maxLength: 12 }, unit: { enum: ["celsius", "fahrenheit"] } },
      required: ["city", "unit"],
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
      properties: { a: { type: "integer", minimum: -100, maximum: 100 }, b: { type: "number" } },
      required: ["a", "b"],
      additionalProperties: false,
    },
  },
};
const ASK: ChatMessage[] = [{ role: "user", content: "What is the weather in Paris?" }];
/** Templates that only name a format, so the format is chosen from them as from a model's own. */
const TEMPLATES = {
  hermes: chatTemplate("hermes-tools"),
  "llama3-json": "{#- <|python_tag|> -#}{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}assistant:",
  mistral: "{#- [TOOL_CALLS] -#}{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}assistant:",
};

describe("streamChat on the GPT-2 fixture: chunks carry the calls as they are generated", () => {
  let generator: Awaited<ReturnType<typeof createGenerator>>;
  beforeAll(async () => {
    generator = await createGenerator(fixture("gpt2"));
  });

  it.each(Object.entries(TEMPLATES))("%s: the deltas add up to the result's calls, ids and arguments text", async (_name, template) => {
    const s = generator.streamChat(ASK, {
      chatTemplate: template,
      tools: [WEATHER, ADD],
      toolChoice: "required",
      seed: 3,
      doSample: true,
      maxNewTokens: 200,
    });
    const deltas: ToolCallDelta[] = [];
    let chunksWithArguments = 0;
    for await (const chunk of s) {
      deltas.push(...(chunk.toolCallDeltas ?? []));
      if (chunk.toolCallDeltas?.some((d) => d.id === undefined && d.arguments !== "")) chunksWithArguments++;
    }
    const result = await s.result;
    expect(result.finishReason).toBe("stop");
    expect(result.toolCalls.length).toBeGreaterThan(0);
    const calls = assemble(deltas);
    expect(calls.map(({ id, name, arguments: text }) => ({ id, name, arguments: text }))).toEqual(
      result.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: JSON.stringify(c.arguments) })),
    );
    expect(chunksWithArguments).toBeGreaterThan(1); // the arguments came in several chunks, not whole at the end
  });

  it("a named tool with greedy decoding: the same call as chat() gives, streamed", async () => {
    const options = { chatTemplate: TEMPLATES.hermes, tools: [WEATHER, ADD], toolChoice: { name: "add" }, maxNewTokens: 120 };
    const whole = await generator.chat(ASK, options);
    const s = generator.streamChat(ASK, options);
    const deltas: ToolCallDelta[] = [];
    for await (const chunk of s) deltas.push(...(chunk.toolCallDeltas ?? []));
    expect(whole.toolCalls.length).toBeGreaterThan(0);
    const calls = assemble(deltas);
    expect(calls.map((c) => c.name)).toEqual(whole.toolCalls.map(() => "add"));
    expect(calls.map((c) => c.arguments)).toEqual(whole.toolCalls.map((c) => JSON.stringify(c.arguments)));
    expect(calls.map((c) => JSON.parse(c.arguments))).toEqual(whole.toolCalls.map((c) => c.arguments));
  });
});
