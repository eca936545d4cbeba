import { Ajv } from "ajv";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, type JsonSchema, type LoadedModel } from "../../../src/index.js";
import { integerRangeEbnf, jsonSchemaToEbnf } from "../../../src/internal.js";
import { decoderFixture, firstSequence, generateIds } from "../engine-helpers.js";

/** The EBNF of an integer range as a JavaScript regular expression (it uses literals, classes, groups, {m,n}). */
function rangeRegex(ebnf: string): RegExp {
  return new RegExp(
    `^(?:${ebnf
      .replace(/"([^"]*)"/g, "$1")
      .replace(/\(/g, "(?:")
      .replace(/\s+/g, "")})$`,
  );
}

describe("integer ranges", () => {
  const cases: [number, number][] = [
    [0, 120],
    [-5, 7],
    [-120, -3],
    [17, 17],
    [9, 10],
    [99, 1001],
    [-1000, 1000],
    [1, 9999],
    [305, 4210],
  ];
  for (const [lo, hi] of cases) {
    it(`[${lo}, ${hi}] matches exactly the integers in range, spelled as JSON (exhaustive around the bounds)`, () => {
      const re = rangeRegex(integerRangeEbnf(lo, hi));
      for (let n = lo - 150; n <= hi + 150; n++) expect(re.test(String(n)), String(n)).toBe(n >= lo && n <= hi);
      expect(re.test("-0")).toBe(false);
      expect(re.test(`0${Math.max(lo, 1)}`)).toBe(false);
    });
  }

  it("an open side accepts every integer beyond the bound up to 15 digits, and nothing below", () => {
    const re = rangeRegex(integerRangeEbnf(42, Number.POSITIVE_INFINITY));
    for (let n = -50; n < 2000; n++) expect(re.test(String(n))).toBe(n >= 42);
    expect(re.test("123456789012345")).toBe(true);
    const below = rangeRegex(integerRangeEbnf(Number.NEGATIVE_INFINITY, -7));
    for (let n = -2000; n < 50; n++) expect(below.test(String(n))).toBe(n <= -7);
  });
});

describe("JSON Schema refusals", () => {
  const refused: [JsonSchema, RegExp][] = [
    [{ type: "object", patternProperties: { "^x": {} } }, /keyword "patternProperties" is not supported/],
    [{ type: "string", pattern: "^a(?=b)" }, /pattern: a lookaround or named group .* is not supported/],
    [{ type: "string", pattern: "(a)\\1" }, /the escape \\1/],
    [{ type: "string", pattern: "^a+$", maxLength: 3 }, /"pattern" together with "minLength"/],
    [{ type: "string", format: "email" }, /keyword "format" is not supported/],
    [{ type: "array", uniqueItems: true }, /keyword "uniqueItems" is not supported/],
    [{ type: "number", multipleOf: 3 }, /keyword "multipleOf" is not supported/],
    [{ type: "object", properties: { a: { not: { type: "null" } } } }, /properties\.a: keyword "not" is not supported/],
    [{ type: "number", minimum: 0.5 }, /non-integer bound/],
    [{ $ref: "https://example.com/x.json" }, /only local references/],
    [{ $ref: "#/$defs/missing" }, /points to no schema/],
    [{ type: "integer", minimum: 5, maximum: 4 }, /no integer lies within/],
    [{ type: "string", minLength: 3, maxLength: 2 }, /maxLength 2 is below minLength 3/],
    [{ type: "date" }, /unknown type "date"/],
  ];
  for (const [schema, message] of refused) {
    it(`refuses ${JSON.stringify(schema)} with an InputError naming the problem`, () => {
      expect(() => jsonSchemaToEbnf(schema)).toThrow(InputError);
      expect(() => jsonSchemaToEbnf(schema)).toThrow(message);
    });
  }
  it("names the keyword and where it is: responseFormat.schema.properties.tags.items", () => {
    expect(() => jsonSchemaToEbnf({ type: "object", properties: { tags: { type: "array", items: { contains: {} } } } })).toThrow(
      'responseFormat.schema.properties.tags.items: keyword "contains" is not supported',
    );
  });
});

let gpt2: LoadedModel;
beforeAll(async () => {
  gpt2 = await decoderFixture("gpt2");
});
afterAll(() => gpt2.dispose());

/** Random schemas: nested objects, arrays with bounds, enums, required sets, bounded numbers and strings, nullables. */
function schemaArbitrary(): fc.Arbitrary<JsonSchema> {
  const { tree } = fc.letrec<{ tree: JsonSchema; leaf: JsonSchema }>((tie) => ({
    leaf: fc.oneof(
      fc.record({ type: fc.constant("string"), maxLength: fc.integer({ min: 0, max: 6 }) }),
      fc
        .tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: 0, max: 400 }))
        .map(([lo, span]) => ({ type: "integer", minimum: lo, maximum: lo + span })),
      fc
        .tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 50 }))
        .map(([lo, span]) => ({ type: "number", minimum: lo, exclusiveMaximum: lo + span })),
      fc.constant({ type: "boolean" }),
      fc.constant({ type: ["integer", "null"], minimum: 0, maximum: 9 }),
      fc
        .uniqueArray(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -9, max: 99 }), fc.constant(null)), {
          minLength: 1,
          maxLength: 4,
        })
        .map((values) => ({ enum: values })),
      fc.constant({ const: "fixed" }),
    ),
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      tie("leaf"),
      fc
        .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), tie("tree"))
        .map(([min, extra, items]) => ({ type: "array", items, minItems: min, maxItems: min + extra })),
      fc
        .uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z_]{0,7}$/), tie("tree"), fc.boolean()), {
          minLength: 1,
          maxLength: 4,
          selector: ([k]) => k,
        })
        .map((props) => ({
          type: "object",
          properties: Object.fromEntries(props.map(([k, v]) => [k, v])),
          required: props.filter(([, , r]) => r).map(([k]) => k),
          additionalProperties: false,
        })),
      fc.tuple(tie("leaf"), tie("leaf")).map(([a, b]) => ({ anyOf: [a, b] })),
    ),
  }));
  return tree;
}

describe("JSON Schema → EBNF on GPT-2 (random weights, so arbitrary tokens)", () => {
  it("for 50 generated schemas, every sampled output parses and validates with ajv (or is cut by maxNewTokens)", async () => {
    const ajv = new Ajv({ strict: false });
    const schemas = fc.sample(schemaArbitrary(), { numRuns: 50, seed: 16 });
    const ids = (await gpt2.tokenizer.encode("JSON:")).ids;
    let finished = 0;
    for (const [i, schema] of schemas.entries()) {
      const validate = ajv.compile(schema as object);
      for (const doSample of [false, true]) {
        const sequence = firstSequence(
          await generateIds(gpt2, [ids], { responseFormat: { type: "json_schema", schema }, doSample, seed: i, maxNewTokens: 80 }),
        );
        if (sequence.finishReason === "length") continue;
        expect(sequence.finishReason).toBe("stop");
        const value: unknown = JSON.parse(sequence.text);
        expect(validate(value), `schema ${JSON.stringify(schema)}\noutput ${sequence.text}\n${JSON.stringify(validate.errors)}`).toBe(true);
        finished++;
      }
    }
    expect(finished).toBeGreaterThan(60);
  }, 600_000);

  it("$defs with a recursive $ref, oneOf and nullable types", async () => {
    const schema: JsonSchema = {
      $defs: {
        node: {
          type: "object",
          properties: {
            v: { type: "integer", minimum: 1, maximum: 3 },
            kids: { type: "array", items: { $ref: "#/$defs/node" }, maxItems: 2 },
          },
          required: ["v"],
          additionalProperties: false,
        },
      },
      type: "object",
      properties: {
        root: { $ref: "#/$defs/node" },
        kind: { oneOf: [{ type: "string", maxLength: 3 }, { type: "null" }] },
        score: { type: ["number", "null"], minimum: -2, maximum: 2 },
      },
      required: ["root", "kind", "score"],
      additionalProperties: false,
    };
    const validate = new Ajv({ strict: false }).compile(schema as object);
    const ids = (await gpt2.tokenizer.encode("Tree:")).ids;
    let finished = 0;
    for (let seed = 0; seed < 8; seed++) {
      const sequence = firstSequence(
        await generateIds(gpt2, [ids], { responseFormat: { type: "json_schema", schema }, doSample: true, seed, maxNewTokens: 120 }),
      );
      if (sequence.finishReason === "length") continue;
      expect(validate(JSON.parse(sequence.text)), sequence.text).toBe(true);
      finished++;
    }
    expect(finished).toBeGreaterThan(3);
  }, 300_000);

  it("string patterns: every sampled string matches (ajv), quotes, backslashes and unanchored sides included", async () => {
    const patterns = ["^[a-z]{2}-[0-9]{1,3}$", '^(yes|no|"maybe")$', "^[A-F0-9]{4}$", "^\\\\d+\\.txt$", "^[^0-9]{1,4}$", "^a.b\\s?c$"];
    const ids = (await gpt2.tokenizer.encode("Values:")).ids;
    for (const pattern of patterns) {
      const schema: JsonSchema = {
        type: "object",
        properties: { v: { type: "string", pattern } },
        required: ["v"],
        additionalProperties: false,
      };
      const validate = new Ajv({ strict: false }).compile(schema as object);
      let finished = 0;
      for (let seed = 0; seed < 5; seed++) {
        const sequence = firstSequence(
          await generateIds(gpt2, [ids], { responseFormat: { type: "json_schema", schema }, doSample: true, seed, maxNewTokens: 30 }),
        );
        if (sequence.finishReason === "length") continue;
        expect(validate(JSON.parse(sequence.text)), `${pattern}: ${sequence.text}`).toBe(true);
        finished++;
      }
      expect(finished, pattern).toBeGreaterThan(0);
    }
  }, 300_000);

  it("json_object: any JSON object, compact, no raw control characters in strings", async () => {
    const ids = (await gpt2.tokenizer.encode("Object:")).ids;
    let finished = 0;
    for (let seed = 0; seed < 20; seed++) {
      const sequence = firstSequence(
        await generateIds(gpt2, [ids], { responseFormat: { type: "json_object" }, doSample: true, seed, maxNewTokens: 60 }),
      );
      if (sequence.finishReason === "length") {
        expect(sequence.text.startsWith("{")).toBe(true);
        continue;
      }
      const value: unknown = JSON.parse(sequence.text);
      expect(typeof value === "object" && value !== null && !Array.isArray(value)).toBe(true);
      finished++;
    }
    expect(finished).toBeGreaterThan(0);
  });
});
