import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, type JsonSchema, type LoadedModel } from "../../../src/index.js";
import { decoderFixture, firstSequence, generateIds } from "../engine-helpers.js";

let gpt2: LoadedModel;
let llama: LoadedModel;
beforeAll(async () => {
  [gpt2, llama] = await Promise.all([decoderFixture("gpt2"), decoderFixture("llama")]);
});
afterAll(async () => {
  await gpt2.dispose();
  await llama.dispose();
});

const LIST: JsonSchema = {
  type: "array",
  items: {
    anyOf: [{ type: "integer", minimum: -5, maximum: 300 }, { type: "string", maxLength: 5 }, { type: "boolean" }, { type: "null" }],
  },
  maxItems: 4,
};

const PERSON: JsonSchema = {
  type: "object",
  properties: {
    name: { type: "string", maxLength: 6 },
    age: { type: "integer", minimum: 0, maximum: 120 },
    tags: { type: "array", items: { enum: ["a", "b", "c"] }, maxItems: 3 },
    nick: { type: ["string", "null"], maxLength: 3 },
  },
  required: ["name", "age"],
  additionalProperties: false,
};

async function prompt(model: LoadedModel, text: string): Promise<number[]> {
  return (await model.tokenizer.encode(text)).ids;
}

describe("constrained decoding in the engine", () => {
  for (const fixture of ["gpt2", "llama"] as const) {
    it(`${fixture}: every sampled output of a JSON schema parses and validates (ajv), or is cut by maxNewTokens`, async () => {
      const model = fixture === "gpt2" ? gpt2 : llama;
      // T5's vocabulary (the llama fixture) has no "{": it gets a schema it can spell.
      const schema = fixture === "gpt2" ? PERSON : LIST;
      const validate = new Ajv({ strict: false }).compile(schema as object);
      const ids = await prompt(model, "A person:");
      let finished = 0;
      for (let seed = 0; seed < 12; seed++) {
        const sequence = firstSequence(
          await generateIds(model, [ids], {
            responseFormat: { type: "json_schema", schema },
            doSample: true,
            temperature: 1,
            seed,
            maxNewTokens: 60,
          }),
        );
        if (sequence.finishReason === "length") continue;
        expect(sequence.finishReason).toBe("stop");
        const value: unknown = JSON.parse(sequence.text);
        expect(validate(value), `${sequence.text}: ${JSON.stringify(validate.errors)}`).toBe(true);
        finished++;
      }
      expect(finished).toBeGreaterThan(6);
    });
  }

  it("a format the vocabulary cannot spell is an InputError (T5 has no `{`), never an unconstrained run", async () => {
    const ids = await prompt(llama, "A person:");
    await expect(generateIds(llama, [ids], { responseFormat: { type: "json_object" }, maxNewTokens: 5 })).rejects.toThrow(InputError);
    await expect(generateIds(llama, [ids], { responseFormat: { type: "json_object" }, maxNewTokens: 5 })).rejects.toThrow(
      /no token for what the response format needs/,
    );
  });

  it("greedy, regex: the output matches the whole pattern", async () => {
    const ids = await prompt(gpt2, "Call");
    const sequence = firstSequence(
      await generateIds(gpt2, [ids], {
        responseFormat: { type: "regex", pattern: "[0-9]{3}-[a-z]{2,4}" },
        maxNewTokens: 20,
      }),
    );
    expect(sequence.finishReason).toBe("stop");
    expect(sequence.text).toMatch(/^[0-9]{3}-[a-z]{2,4}$/);
  });

  it("an EBNF grammar constrains sampling", async () => {
    const ids = await prompt(gpt2, "Answer:");
    const grammar = 'root ::= ("yes" | "no") " " [0-9] ("," [0-9]){0,2}';
    for (let seed = 0; seed < 5; seed++) {
      const sequence = firstSequence(
        await generateIds(gpt2, [ids], {
          responseFormat: { type: "grammar", grammar },
          doSample: true,
          seed,
          maxNewTokens: 20,
        }),
      );
      expect(sequence.finishReason).toBe("stop");
      expect(sequence.text).toMatch(/^(yes|no) [0-9](,[0-9]){0,2}$/);
    }
  });

  it("beam search with a JSON schema: every finished beam validates (ajv)", async () => {
    const validate = new Ajv({ strict: false }).compile(PERSON as object);
    const result = await generateIds(gpt2, [await prompt(gpt2, "A person:")], {
      responseFormat: { type: "json_schema", schema: PERSON },
      numBeams: 4,
      numReturnSequences: 4,
      maxNewTokens: 40,
    });
    const finished = (result[0] ?? []).filter((s) => s.finishReason === "stop");
    expect(finished.length).toBeGreaterThan(0);
    for (const s of finished) expect(validate(JSON.parse(s.text)), s.text).toBe(true);
  });

  it("beam search: every returned beam matches the grammar", async () => {
    const ids = await prompt(gpt2, "Numbers:");
    const result = await generateIds(gpt2, [ids, await prompt(gpt2, "Other")], {
      responseFormat: { type: "regex", pattern: "(ab|cd)[0-9]{1,3}!" },
      numBeams: 3,
      numReturnSequences: 3,
      maxNewTokens: 12,
    });
    for (const sequences of result) {
      expect(sequences).toHaveLength(3);
      for (const s of sequences) {
        expect(s.finishReason).toBe("stop");
        expect(s.text).toMatch(/^(ab|cd)[0-9]{1,3}!$/);
      }
    }
  });
});
