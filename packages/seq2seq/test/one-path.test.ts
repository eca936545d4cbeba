import { disposeCachedHandles, InputError } from "@proj/core";
import { fixture, loadOracle } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createText2Text, createTranslator, summarize, text2text, text2textStream, translate } from "../src/index.js";
import { LOAD, referenceIds, SENTENCES } from "./helpers.js";

afterAll(() => disposeCachedHandles());

describe("concurrent calls on one handle decode together (continuous batching)", () => {
  it("two concurrent translator.translate() calls share decode steps, counted on the runner's steps", async () => {
    const sizes: number[] = [];
    const translator = await createTranslator(fixture("t5"), { load: LOAD, batching: { onStep: (n) => sizes.push(n) } });
    try {
      // Both run the full 24 tokens (no end-of-sequence before minNewTokens), so each alone takes the same steps.
      const options = { to: "de", numBeams: 1, maxNewTokens: 24, minNewTokens: 24 };
      const alone = await translator.translate(SENTENCES[0] as string, options);
      const aloneSteps = sizes.length;
      expect(aloneSteps).toBeGreaterThan(0);
      sizes.length = 0;
      const [a, b] = await Promise.all([
        translator.translate(SENTENCES[0] as string, options),
        translator.translate(SENTENCES[1] as string, options),
      ]);
      expect(a.tokenIds).toEqual(alone.tokenIds);
      expect(b.tokenIds).toHaveLength(24);
      expect(Math.max(...sizes)).toBe(2); // one forward pass carried both calls' rows
      expect(sizes.length).toBeLessThan(2 * aloneSteps); // fewer steps than two calls one after the other
    } finally {
      await translator.dispose();
    }
  });
});

describe("text2text: general text-to-text generation", () => {
  it("decodes the input as it is (no task prefix) and matches transformers.js greedy decoding", async () => {
    const t2t = await createText2Text(fixture("t5"), { load: LOAD });
    try {
      const input = "translate English to German: A man is riding a bicycle.";
      const got = await t2t.generate(input, { numBeams: 1, maxNewTokens: 12 });
      const oracle = await loadOracle();
      const tokenizer = await oracle.AutoTokenizer.from_pretrained(fixture("t5"));
      const reference = await oracle.AutoModelForSeq2SeqLM.from_pretrained(fixture("t5"), { dtype: "fp32" });
      const out = (await reference.generate({ ...tokenizer(input), max_new_tokens: 12, do_sample: false, num_beams: 1 })) as {
        tolist(): bigint[][];
      };
      const want = referenceIds(out.tolist()[0] ?? [], t2t.model.config.eosTokenIds);
      expect(want.length).toBeGreaterThan(0);
      expect(got.tokenIds).toEqual(want);
      expect(got.text).toBe(await tokenizer.decode(want, { skip_special_tokens: true }));
      // The same as the translator on the same prefixed text.
      const translator = await createTranslator(fixture("t5"), { load: LOAD });
      try {
        const viaTranslate = await translator.translate("A man is riding a bicycle.", { to: "de", numBeams: 1, maxNewTokens: 12 });
        expect(got.tokenIds).toEqual(viaTranslate.tokenIds);
      } finally {
        await translator.dispose();
      }
    } finally {
      await t2t.dispose();
    }
  });

  it("one-shot text2text() and text2textStream() give the same text; arrays give arrays", async () => {
    const input = "summarize: Two young men are outside near many bushes.";
    const one = await text2text(input, { model: fixture("t5"), load: LOAD, numBeams: 1, maxNewTokens: 8 });
    const many = await text2text([input, input], { model: fixture("t5"), load: LOAD, numBeams: 1, maxNewTokens: 8 });
    expect(many.map((r) => r.tokenIds)).toEqual([one.tokenIds, one.tokenIds]);
    let streamed = "";
    const s = text2textStream(input, { model: fixture("t5"), load: LOAD, numBeams: 1, maxNewTokens: 8 });
    for await (const chunk of s) streamed += chunk.text;
    expect(streamed).toBe(one.text);
    expect((await s.result).text).toBe(one.text);
  });

  it("refuses a decoder-only model and a translator handle", async () => {
    await expect(text2text("Hello", { model: fixture("gpt2"), load: LOAD })).rejects.toThrow(/needs an encoder-decoder model/);
    const translator = await createTranslator(fixture("t5"), { load: LOAD });
    try {
      await expect(text2text("Hello", { model: translator as never })).rejects.toThrow(/made for translate\(\)/);
    } finally {
      await translator.dispose();
    }
  });
});

describe("unknown options are refused, naming the nearest known one", () => {
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ["translate's maxNewToken", () => translate("Hi", { model: fixture("t5"), load: LOAD, maxNewToken: 4 } as never), /maxNewTokens/],
    ["translate's top_k", () => translate("Hi", { model: fixture("t5"), load: LOAD, top_k: 5 } as never), /topK/],
    ["summarize's chunk", () => summarize("Hi", { model: fixture("bart"), load: LOAD, chunk: true } as never), /chunking/],
    ["text2text's num_beams", () => text2text("Hi", { model: fixture("t5"), load: LOAD, num_beams: 2 } as never), /numBeams/],
    ["load options at the top level of a handle", () => createTranslator(fixture("t5"), { threads: 1 } as never), /"threads"/],
    ["an unknown load option", () => translate("Hi", { model: fixture("t5"), load: { thread: 1 } } as never), /threads/],
  ];
  for (const [name, run, message] of cases) {
    it(name, async () => {
      let error: unknown;
      try {
        await run();
      } catch (e) {
        error = e;
      }
      expect(InputError.isInstance(error)).toBe(true);
      const err = error as InputError;
      expect(`${err.message}\n${err.hint ?? ""}`).toMatch(message);
    });
  }
});
