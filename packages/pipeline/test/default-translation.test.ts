import { InputError } from "@proj/core";
import { TASK_TABLE } from "@proj/chooser";
import { EMBEDDED_MODEL_NAMES, embeddedModelPath } from "@proj/models";
import { defaultTranslationModel } from "@proj/seq2seq";
import { afterAll, describe, expect, it } from "vitest";
import { pipeline } from "../src/index.js";

// Without a network: the default for English to German must be the embedded model, never a download of t5-small.
process.env.HF_HUB_OFFLINE = "1";

const embedded = embeddedModelPath("translation-en-de") as string;
const opened: { dispose(): Promise<void> }[] = [];

describe('pipeline("translation") and translate() pick the same default model for a pair', () => {
  afterAll(async () => {
    for (const p of opened) await p.dispose();
  });

  for (const [task, pair] of [
    ["translation", { from: "English", to: "German" }],
    ["translation", { from: "en", to: "de" }],
    ["translation_en_to_de", {}],
  ] as const) {
    it(`${task} ${JSON.stringify(pair)}: the embedded en->de model, offline`, async () => {
      expect(defaultTranslationModel(pair)).toBe(embedded);
      const translator = await pipeline(task, pair);
      opened.push(translator);
      expect(translator.modelId).toBe(embedded);
      const { text } = await translator("A dog runs through the grass.");
      expect(text).toMatch(/\bHund\b/);
    });
  }

  it("a language that is not a string is the same InputError as translate()'s", async () => {
    const error = await pipeline("translation", { to: 5 } as never).then(
      () => expect.fail("expected a rejection"),
      (e: unknown) => e,
    );
    expect(InputError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/^to must be a language code or name such as "de" or "German", got a number\./);
  });
});

describe("the chooser's embedded model names", () => {
  it("each one the task table names is a model @proj/models ships (defaultModelPath would skip an unknown name)", () => {
    const named = TASK_TABLE.flatMap((row) => (row.embeddedModel === undefined ? [] : [row.embeddedModel]));
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) {
      expect(EMBEDDED_MODEL_NAMES as readonly string[], name).toContain(name);
      expect(embeddedModelPath(name as (typeof EMBEDDED_MODEL_NAMES)[number]), name).toBeTypeOf("string");
    }
  });
});
