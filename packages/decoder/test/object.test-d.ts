import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  type GenerateOptions,
  generateObject,
  type ObjectResult,
  type ObjectStream,
  type PartialObject,
  streamObject,
} from "../src/index.js";

describe("generateObject types", () => {
  it("a Standard Schema gives its output type; a JSON Schema gives unknown", () => {
    const schema = z.object({ name: z.string(), age: z.number().optional() });
    expectTypeOf(generateObject("x", { schema })).toEqualTypeOf<Promise<ObjectResult<{ name: string; age?: number | undefined }>>>();
    expectTypeOf(generateObject("x", { schema: { type: "object" } })).toEqualTypeOf<Promise<ObjectResult<unknown>>>();
    expectTypeOf(streamObject("x", { schema })).toEqualTypeOf<ObjectStream<{ name: string; age?: number | undefined }>>();
    expectTypeOf<PartialObject<{ a: { b: string[] } }>>().toEqualTypeOf<{ a?: { b?: string[] } }>();
  });

  it("responseFormat is a decoding option of generate, with a typed union", () => {
    expectTypeOf<GenerateOptions["responseFormat"]>().toMatchTypeOf<
      | { type: "json_schema"; schema: unknown }
      | { type: "json_object" }
      | { type: "regex"; pattern: string }
      | { type: "grammar"; grammar: string }
      | { type: "text" }
      | undefined
    >();
    // @ts-expect-error: generateObject takes its format from the schema
    void generateObject("x", { schema: { type: "object" }, responseFormat: { type: "json_object" } });
  });
});
