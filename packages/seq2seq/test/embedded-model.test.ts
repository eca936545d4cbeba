import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OfflineError } from "@proj/core";
import { embeddedModelPath } from "@proj/models";
import { EMBEDDED_DTYPE, generatedIds, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTranslator,
  DEFAULT_SUMMARIZATION_MODEL,
  DEFAULT_TRANSLATION_MODEL,
  defaultTranslationModel,
  disposeCachedHandles,
  summarize,
  translate,
  type Translator,
} from "../src/index.js";

/**
 * The en->de caption translator embedded in @proj/models is the default of translate() for English to German: it
 * translates unambiguous captions and gives transformers.js's greedy tokens. Its BLEU is measured by
 * packages/models-lab/eval/translation.mjs, not here.
 */

// The shipped weights are int8 (see the model cards): @proj picks them with dtype "auto", the only variant present.
const DTYPE = EMBEDDED_DTYPE;
const translation = embeddedModelPath("translation-en-de");

describe("embedded en->de translator (@proj/models translation-en-de)", () => {
  const dir = translation as string;
  expect(dir, "@proj/models ships models/translation-en-de").toBeTypeOf("string");
  let translator: Translator;
  beforeAll(async () => {
    translator = await createTranslator(dir, { load: { threads: 1 } });
  });
  afterAll(async () => {
    await translator?.dispose();
  });

  it("loads its int8 graphs by default and is a single-pair en->de model with beam search by default", async () => {
    expect(translator.model.dtypes).toEqual({ encoder_model: DTYPE, decoder_model_merged: DTYPE });
    expect(translator.scheme).toEqual({ kind: "single-pair", from: "en", to: "de" });
    expect(translator.model.generationConfig.numBeams).toBe(4);
  });

  it("translates unambiguous captions", async () => {
    const [dog, short, man, kids] = await translator.translate([
      "A dog runs through the grass.",
      "a dog runs",
      "A man is riding a bicycle.",
      "Two children are playing in the water.",
    ]);
    expect(dog?.text).toMatch(/^Ein Hund\b/);
    expect(dog?.text).toMatch(/\b(Gras|Wiese)\b/);
    expect(short?.text).toMatch(/\bHund\b/);
    expect(man?.text).toMatch(/^Ein Mann\b/);
    expect(man?.text).toMatch(/Fahrrad\b/);
    expect(kids?.text).toMatch(/^Zwei Kinder\b/);
    expect(kids?.text).toMatch(/\bWasser\b/);
    for (const t of [dog, short, man, kids]) expect(t?.finishReason).toBe("stop");
  });

  it("gives the same greedy tokens as transformers.js", async () => {
    const oracle = await loadOracle();
    const tokenizer = await oracle.AutoTokenizer.from_pretrained(dir);
    const reference = await oracle.AutoModelForSeq2SeqLM.from_pretrained(dir, { dtype: DTYPE });
    const sources = ["A dog runs through the grass.", "A woman in a red jacket is standing on a snowy mountain."];
    const ours = await translator.translate(sources, { numBeams: 1, maxNewTokens: 40 });
    for (let i = 0; i < sources.length; i++) {
      const out = (await reference.generate({
        ...tokenizer(sources[i] as string),
        max_new_tokens: 40,
        do_sample: false,
        num_beams: 1,
      })) as {
        tolist(): bigint[][];
      };
      const want = generatedIds(out.tolist()[0] ?? [], 1, 2); // after the decoder start </s>, up to </s>
      expect(want.length).toBeGreaterThan(3);
      expect(ours[i]?.tokenIds).toEqual(want);
      expect(ours[i]?.text).toBe(await tokenizer.decode(want, { skip_special_tokens: true }));
    }
    await reference.dispose();
  });
});

describe("defaults", () => {
  afterAll(async () => {
    await disposeCachedHandles();
  });

  it("translate() uses the embedded model for English to German when no model is given, offline", async () => {
    expect(defaultTranslationModel({})).toBe(translation);
    expect(defaultTranslationModel({ from: "English", to: "German" })).toBe(translation);
    expect(defaultTranslationModel({ to: "de" })).toBe(translation);
    const { text } = await translate("A man is riding a bicycle.");
    expect(text).toMatch(/^Ein Mann\b.*Fahrrad\b/);
    const [a, b] = await translate(["Two children are playing in the water.", "A dog runs."], { to: "de" });
    expect(a?.text).toMatch(/^Zwei Kinder\b/);
    expect(b?.text).toMatch(/\bHund\b/);
  });

  it("other pairs and summarize() use their Hub defaults: offline they fail naming the model", async () => {
    expect(defaultTranslationModel({ to: "fr" })).toBe(DEFAULT_TRANSLATION_MODEL);
    expect(defaultTranslationModel({ from: "de", to: "en" })).toBe(DEFAULT_TRANSLATION_MODEL);
    const cacheDir = mkdtempSync(join(tmpdir(), "proj-empty-hub-"));
    const load = { hub: { cacheDir, offline: true } };
    try {
      const fr = await translate("Hello", { to: "fr", load }).catch((e: unknown) => e);
      expect(fr).toBeInstanceOf(OfflineError);
      expect((fr as Error).message).toContain(DEFAULT_TRANSLATION_MODEL);
      expect((fr as Error).message).toMatch(/folder/i);
      const sum = await summarize("A long text.", { load }).catch((e: unknown) => e);
      expect(sum).toBeInstanceOf(OfflineError);
      expect((sum as Error).message).toContain(DEFAULT_SUMMARIZATION_MODEL);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
