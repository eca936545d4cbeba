import { InputError } from "@proj/core";
import { embeddedModelPath } from "@proj/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTranslator,
  DEFAULT_TRANSLATION_MODEL,
  defaultTranslationModel,
  disposeCachedHandles,
  translate,
  type Translator,
} from "../src/index.js";

// No download may happen here: every model below is the embedded one, or the call fails before loading.
process.env.HF_HUB_OFFLINE = "1";

const embedded = embeddedModelPath("translation-en-de") as string;
const BAD_LANGUAGES = [
  { options: { to: 5 }, message: /^to must be a language code or name such as "de" or "German", got a number\./ },
  { options: { from: 5 }, message: /^from must be a language code or name such as "de" or "German", got a number\./ },
  { options: { to: {} }, message: /^to must be a language code or name such as "de" or "German", got object\./ },
] as const;

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected a rejection"),
    (error: unknown) => error,
  );
}

describe("language options are checked at the one shared entry (bug 2)", () => {
  let translator: Translator;
  beforeAll(async () => {
    translator = await createTranslator(embedded, { load: { threads: 1 } });
  });
  afterAll(async () => {
    await translator?.dispose();
    await disposeCachedHandles();
  });

  for (const { options, message } of BAD_LANGUAGES) {
    const label = JSON.stringify(options);
    it(`translate("A dog.", ${label}) without a model: an InputError naming the option, not a TypeError`, async () => {
      const error = await rejection(translate("A dog.", options as never));
      expect(InputError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    });

    it(`translate("A dog.", ${label}) with a model, and the handle's translate(): the same InputError`, async () => {
      const oneShot = await rejection(translate("A dog.", { ...options, model: embedded } as never));
      const handle = await rejection(translator.translate("A dog.", options as never));
      for (const error of [oneShot, handle]) {
        expect(InputError.isInstance(error), String(error)).toBe(true);
        expect((error as Error).message).toMatch(message);
      }
    });
  }

  it("defaultTranslationModel itself refuses a language that is not a string", () => {
    expect(() => defaultTranslationModel({ to: 5 } as never)).toThrow(/^to must be a language code/);
  });
});

describe("one default for a language pair, names and codes alike", () => {
  it("English to German by name or by code picks the embedded model; other pairs the Hub default", () => {
    expect(defaultTranslationModel({ from: "English", to: "German" })).toBe(embedded);
    expect(defaultTranslationModel({ from: "en", to: "de" })).toBe(embedded);
    expect(defaultTranslationModel({ from: "eng_Latn", to: "deu" })).toBe(embedded);
    expect(defaultTranslationModel({ from: "English", to: "French" })).toBe(DEFAULT_TRANSLATION_MODEL);
  });
});
