import { fixture } from "@proj/testing";
import { Ajv } from "ajv";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { post, type Running, start } from "./helpers.js";

let gpt2: Running;
beforeAll(async () => {
  gpt2 = await start({ model: fixture("gpt2") });
});
afterAll(async () => {
  await gpt2?.server.close();
});

const SCHEMA = {
  type: "object",
  properties: {
    city: { type: "string", maxLength: 8 },
    rank: { type: "integer", minimum: 1, maximum: 50 },
    open: { type: "boolean" },
  },
  required: ["city", "rank", "open"],
  additionalProperties: false,
};

describe("response_format with the official openai client", () => {
  it("chat.completions with a json_schema: every sampled answer parses and validates (ajv)", async () => {
    const validate = new Ajv().compile(SCHEMA);
    let finished = 0;
    for (let seed = 0; seed < 6; seed++) {
      const answer = await gpt2.client.chat.completions.create({
        model: "gpt2",
        messages: [{ role: "user", content: "A city?" }],
        response_format: { type: "json_schema", json_schema: { name: "city", schema: SCHEMA, strict: true } },
        temperature: 1,
        seed,
        max_tokens: 60,
      });
      const choice = answer.choices[0];
      if (choice?.finish_reason === "length") continue;
      expect(choice?.finish_reason).toBe("stop");
      const content = choice?.message.content ?? "";
      expect(validate(JSON.parse(content)), content).toBe(true);
      finished++;
    }
    expect(finished).toBeGreaterThan(2);
  });

  it("chat.completions.parse with a zod response format gives the parsed, typed object", async () => {
    const City = z.object({ city: z.string().max(8), rank: z.int().min(1).max(50), tags: z.array(z.enum(["old", "new"])).max(2) });
    let parsed = 0;
    for (let seed = 0; seed < 6; seed++) {
      const completion = await gpt2.client.chat.completions
        .parse({
          model: "gpt2",
          messages: [{ role: "user", content: "A city?" }],
          response_format: zodResponseFormat(City, "city"),
          temperature: 1,
          seed,
          max_tokens: 60,
        })
        .catch((error: unknown) => {
          // The client refuses to parse an answer cut by max_tokens; nothing else may fail.
          expect((error as Error).constructor.name).toBe("LengthFinishReasonError");
          return undefined;
        });
      const message = completion?.choices[0]?.message;
      if (!message) continue;
      const city: { city: string; rank: number } | null | undefined = message.parsed;
      expect(City.parse(city)).toEqual(city);
      parsed++;
    }
    expect(parsed).toBeGreaterThan(2);
  });

  it("streamed chat with json_object: the deltas add up to one JSON object", async () => {
    const stream = await gpt2.client.chat.completions.create({
      model: "gpt2",
      messages: [{ role: "user", content: "JSON please" }],
      response_format: { type: "json_object" },
      temperature: 0,
      max_tokens: 40,
      stream: true,
    });
    let text = "";
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    if (finish === "stop") expect(typeof JSON.parse(text)).toBe("object");
    else expect(text.startsWith("{")).toBe(true);
  });

  it("completions with json_schema, and vLLM's guided_regex and guided_choice", async () => {
    const validate = new Ajv().compile(SCHEMA);
    const answer = await gpt2.client.completions.create({
      model: "gpt2",
      prompt: "City:",
      max_tokens: 60,
      temperature: 0,
      // The completions endpoint takes response_format as an extension (vLLM does too); the client passes it through.
      ...({ response_format: { type: "json_schema", json_schema: { name: "city", schema: SCHEMA } } } as object),
    });
    if (answer.choices[0]?.finish_reason === "stop") expect(validate(JSON.parse(answer.choices[0].text))).toBe(true);
    const regex = await gpt2.client.completions.create({
      model: "gpt2",
      prompt: "Code:",
      max_tokens: 10,
      temperature: 0,
      ...({ guided_regex: "[A-Z]{2}-[0-9]{3}" } as object),
    });
    expect(regex.choices[0]?.text).toMatch(/^[A-Z]{2}-[0-9]{3}$/);
    const choice = await gpt2.client.chat.completions.create({
      model: "gpt2",
      messages: [{ role: "user", content: "Pick" }],
      max_tokens: 10,
      temperature: 1,
      seed: 4,
      ...({ guided_choice: ['say "yes"', "no\\way"] } as object),
    });
    expect(['say "yes"', "no\\way"]).toContain(choice.choices[0]?.message.content);
  });

  it("refusals are 400s naming the field or the keyword", async () => {
    const base = { model: "gpt2", messages: [{ role: "user", content: "x" }], max_tokens: 5 };
    const keyword = await post(`${gpt2.url}/v1/chat/completions`, {
      ...base,
      response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object", patternProperties: { a: {} } } } },
    });
    expect(keyword.status).toBe(400);
    expect(keyword.json.error?.message).toMatch(/keyword "patternProperties" is not supported/);
    const type = await post(`${gpt2.url}/v1/chat/completions`, { ...base, response_format: { type: "xml" } });
    expect(type.status).toBe(400);
    expect(type.json.error?.param).toBe("response_format.type");
    const both = await post(`${gpt2.url}/v1/chat/completions`, { ...base, response_format: { type: "json_object" }, guided_regex: "a" });
    expect(both.status).toBe(400);
    const text = await gpt2.client.chat.completions.create({
      ...base,
      messages: [{ role: "user", content: "x" }],
      response_format: { type: "text" },
    });
    expect(text.choices).toHaveLength(1);
  });
});
