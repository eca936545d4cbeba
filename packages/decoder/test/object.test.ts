import { fixture } from "@proj/testing";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { InputError } from "@proj/core";
import { createGenerator, generate, generateObject, type LocalGenerator, parsePartialJson, streamObject } from "../src/index.js";

const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

let gpt2: LocalGenerator;
beforeAll(async () => {
  gpt2 = await createGenerator(fixture("gpt2"), { load: { threads: 1 } });
});
afterAll(() => gpt2.dispose());

const PERSON = {
  type: "object",
  properties: {
    name: { type: "string", maxLength: 8 },
    age: { type: "integer", minimum: 0, maximum: 120 },
    role: { enum: ["admin", "user"] },
  },
  required: ["name", "age", "role"],
  additionalProperties: false,
} as const;

describe("responseFormat on generate and chat", () => {
  it("generate: every sampled text validates against the JSON schema (ajv), local handle and one-shot alike", async () => {
    const validate = new Ajv().compile(PERSON);
    for (let seed = 0; seed < 6; seed++) {
      const { text, finishReason } = await gpt2.generate("Person:", {
        responseFormat: { type: "json_schema", schema: PERSON },
        doSample: true,
        seed,
        maxNewTokens: 60,
      });
      if (finishReason === "length") continue;
      expect(validate(JSON.parse(text)), text).toBe(true);
    }
    const oneShot = await generate("Person:", { model: gpt2, responseFormat: { type: "regex", pattern: "(yes|no)" }, maxNewTokens: 5 });
    expect(oneShot.text).toMatch(/^(yes|no)$/);
  });

  it("chat: the answer follows the format, and a bad format is an InputError naming the keyword", async () => {
    const messages = [{ role: "user", content: "Say a number" }];
    const { text } = await gpt2.chat(messages, {
      chatTemplate: CHATML,
      responseFormat: { type: "grammar", grammar: "root ::= [1-9] [0-9]{0,2}" },
      maxNewTokens: 6,
    });
    expect(text).toMatch(/^[1-9][0-9]{0,2}$/);
    await expect(
      gpt2.chat(messages, {
        chatTemplate: CHATML,
        responseFormat: { type: "json_schema", schema: { type: "object", patternProperties: {} } },
      }),
    ).rejects.toThrow(/keyword "patternProperties" is not supported/);
    await expect(gpt2.generate("x", { responseFormat: { type: "xml" } as never })).rejects.toThrow(InputError);
  });
});

describe("generateObject and streamObject", () => {
  it("a zod schema: the object is parsed, validated and typed", async () => {
    const schema = z.object({ name: z.string().max(6), score: z.int().min(-10).max(10), tags: z.array(z.enum(["x", "y"])).max(2) });
    let done = 0;
    for (let seed = 0; seed < 6; seed++) {
      try {
        const { object, text } = await generateObject("Item:", { model: gpt2, schema, doSample: true, seed, maxNewTokens: 60 });
        const score: number = object.score;
        expect(score).toBeGreaterThanOrEqual(-10);
        expect(schema.parse(JSON.parse(text))).toEqual(object);
        done++;
      } catch (error) {
        // Only a cut by maxNewTokens may fail, and it says so.
        expect((error as Error).message).toMatch(/cut at maxNewTokens/);
      }
    }
    expect(done).toBeGreaterThan(2);
  });

  it("a JSON Schema with chat messages: validated with ajv", async () => {
    const { object, result } = await generateObject([{ role: "user", content: "Who?" }], {
      model: gpt2,
      schema: PERSON,
      chatTemplate: CHATML,
      maxNewTokens: 60,
    });
    expect(new Ajv().compile(PERSON)(object)).toBe(true);
    expect(result.finishReason).toBe("stop");
  });

  it("a cut object is an InputError that says to raise maxNewTokens", async () => {
    await expect(
      generateObject("Item:", { model: gpt2, schema: { type: "array", items: { type: "string" } }, maxNewTokens: 2 }),
    ).rejects.toThrow(/cut at maxNewTokens/);
  });

  it("streamObject yields growing partial objects, then the validated object equal to the last one", async () => {
    const schema = z.object({ a: z.string().max(5), b: z.array(z.int().min(0).max(99)).max(3) });
    const s = streamObject("Data:", { model: gpt2, schema, doSample: true, seed: 3, maxNewTokens: 60 });
    const partials: unknown[] = [];
    for await (const partial of s) partials.push(partial);
    const object = await s.object;
    expect(partials.length).toBeGreaterThan(2);
    expect(partials.at(-1)).toEqual(object);
    expect(schema.parse(object)).toEqual(object);
  });

  it("unknown options are refused by name; responseFormat is not an option of generateObject", async () => {
    await expect(generateObject("x", { model: gpt2, schema: PERSON, responseFormat: { type: "json_object" } } as never)).rejects.toThrow(
      /no option "responseFormat"/,
    );
  });
});

describe("parsePartialJson", () => {
  it("reads as far as the prefix goes", () => {
    expect(parsePartialJson("")).toBeUndefined();
    expect(parsePartialJson('{"name":"Al')).toEqual({ name: "Al" });
    expect(parsePartialJson('{"name":"Al", "ag')).toEqual({ name: "Al" });
    expect(parsePartialJson('{"tags":["a",')).toEqual({ tags: ["a"] });
    expect(parsePartialJson('{"n":12')).toEqual({ n: 12 });
    expect(parsePartialJson('{"n":tr')).toEqual({});
    expect(parsePartialJson('[{"a":1},{"b":')).toEqual([{ a: 1 }, {}]);
    expect(parsePartialJson('{"s":"x\\"y')).toEqual({ s: 'x"y' });
  });
});
