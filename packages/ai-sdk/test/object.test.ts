import { proj } from "@proj/ai-sdk";
import { disposeCachedHandles } from "@proj/core";
import { chatTemplate, fixture } from "@proj/testing";
import { generateObject, jsonSchema, streamObject } from "ai";
import { Ajv } from "ajv";
import { afterAll, describe, expect, it } from "vitest";

const GPT2 = fixture("gpt2");
const PERSON = {
  type: "object",
  properties: {
    name: { type: "string", maxLength: 10 },
    age: { type: "integer", minimum: 0, maximum: 120 },
    tags: { type: "array", items: { enum: ["a", "b", "c"] }, maxItems: 3 },
  },
  required: ["name", "age", "tags"],
  additionalProperties: false,
} as const;
type Person = { name: string; age: number; tags: Array<"a" | "b" | "c"> };
const validate = new Ajv().compile(PERSON);

afterAll(() => disposeCachedHandles());

describe("generateObject and streamObject of the ai package: responseFormat json is constrained decoding", () => {
  it("every sampled object validates against the schema (ajv), on a plain and on a chat model", async () => {
    for (const [model, seed] of [
      [proj(GPT2), 1],
      [proj(GPT2), 2],
      [proj(GPT2, { chatTemplate: chatTemplate("hermes-tools") }), 3],
    ] as const) {
      const { object, finishReason } = await generateObject({
        model,
        schema: jsonSchema<Person>(PERSON),
        prompt: "A person:",
        temperature: 1,
        seed,
        maxOutputTokens: 120,
      });
      expect(finishReason).toBe("stop");
      expect(validate(object), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it("streamObject's partial objects grow into the final object, which validates", async () => {
    const result = streamObject({
      model: proj(GPT2),
      schema: jsonSchema<Person>(PERSON),
      prompt: "A person:",
      temperature: 0,
      maxOutputTokens: 120,
    });
    const partials: unknown[] = [];
    for await (const partial of result.partialObjectStream) partials.push(partial);
    const object = await result.object;
    expect(partials.length).toBeGreaterThan(1);
    expect(partials.at(-1)).toEqual(object);
    expect(validate(object)).toBe(true);
  });
});
