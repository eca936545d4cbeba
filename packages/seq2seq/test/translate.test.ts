import { rmSync } from "node:fs";
import { fixture, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTranslator, disposeCachedHandles, type Translator, translate, translateStream } from "../src/index.js";
import { LOAD, multilingualFixture, referenceIds, SENTENCES, spyEncoder } from "./helpers.js";

let t5: Translator;
let bart: Translator;
beforeAll(async () => {
  t5 = await createTranslator(fixture("t5"), { load: LOAD });
  bart = await createTranslator(fixture("bart"), { load: LOAD });
});
afterAll(async () => {
  await t5.dispose();
  await bart.dispose();
  await disposeCachedHandles();
});

describe("translate on T5 (task prefixes from task_specific_params)", () => {
  it("reads the model's pairs and puts the pair's prefix before the text", async () => {
    expect(t5.scheme.kind).toBe("task-prefix");
    const spy = spyEncoder(t5.model);
    try {
      const result = await t5.translate(SENTENCES[0] as string, { to: "German", numBeams: 1, maxNewTokens: 8 });
      expect(result.to).toBe("de");
      expect(result.from).toBe("en");
      const want = (await t5.model.tokenizer.encode(`translate English to German: ${SENTENCES[0]}`)).ids;
      expect(spy.rows).toEqual([[want]]);
    } finally {
      spy.restore();
    }
  });

  it("greedy output equals transformers.js on the prefixed text, single and batched", async () => {
    const oracle = await loadOracle();
    const tokenizer = await oracle.AutoTokenizer.from_pretrained(fixture("t5"));
    const reference = await oracle.AutoModelForSeq2SeqLM.from_pretrained(fixture("t5"), { dtype: "fp32" });
    const prefixed = SENTENCES.map((s) => `translate English to French: ${s}`);
    const batch = await t5.translate(SENTENCES, { to: "fr", numBeams: 1, maxNewTokens: 16 });
    const eos = t5.model.config.eosTokenIds;
    for (let i = 0; i < SENTENCES.length; i++) {
      const out = (await reference.generate({
        ...tokenizer(prefixed[i] as string),
        max_new_tokens: 16,
        do_sample: false,
        num_beams: 1,
      })) as { tolist(): bigint[][] };
      const want = referenceIds(out.tolist()[0] ?? [], eos);
      expect(want.length).toBeGreaterThan(0);
      expect(batch[i]?.tokenIds).toEqual(want);
      const single = await t5.translate(SENTENCES[i] as string, { to: "fr", numBeams: 1, maxNewTokens: 16 });
      expect(single.tokenIds).toEqual(want);
      expect(single.text).toBe(await tokenizer.decode(want, { skip_special_tokens: true }));
    }
    const out = (await reference.generate({
      ...tokenizer(prefixed, { padding: true }),
      max_new_tokens: 16,
      do_sample: false,
      num_beams: 1,
    })) as { tolist(): bigint[][] };
    expect(out.tolist().map((row) => referenceIds(row, eos))).toEqual(batch.map((r) => r.tokenIds));
    await reference.dispose();
  });

  it("uses beam search by default where the task's params say num_beams 4, and every decoding option overrides it", async () => {
    const beams = await t5.translate(SENTENCES[1] as string, { to: "de", maxNewTokens: 6, numReturnSequences: 3 });
    expect(beams.sequences).toHaveLength(3);
    expect(beams.sequences.every((s) => typeof s.score === "number")).toBe(true);
    const greedy = await t5.translate(SENTENCES[1] as string, { to: "de", maxNewTokens: 6, numBeams: 1 });
    expect(greedy.sequences[0]?.score).toBeUndefined();
    const sampled = await t5.translate(SENTENCES[1] as string, {
      to: "de",
      maxNewTokens: 6,
      numBeams: 1,
      doSample: true,
      seed: 7,
      topK: 5,
    });
    const again = await t5.translate(SENTENCES[1] as string, { to: "de", maxNewTokens: 6, numBeams: 1, doSample: true, seed: 7, topK: 5 });
    expect(again.tokenIds).toEqual(sampled.tokenIds);
  });

  it("the separate decoder_model + decoder_with_past_model layout translates to the same tokens", async () => {
    const split = await createTranslator(fixture("t5"), {
      load: { ...LOAD, graphs: ["encoder_model", "decoder_model", "decoder_with_past_model"] },
    });
    try {
      for (const numBeams of [1, 4]) {
        const a = await t5.translate(SENTENCES, { to: "de", numBeams, maxNewTokens: 12 });
        const b = await split.translate(SENTENCES, { to: "de", numBeams, maxNewTokens: 12 });
        expect(b.map((r) => r.tokenIds)).toEqual(a.map((r) => r.tokenIds));
      }
    } finally {
      await split.dispose();
    }
  });

  it("streams deltas that add up to the final text (greedy: token by token; beams: one piece at the end)", async () => {
    const stream = t5.stream(SENTENCES[2] as string, { to: "de", numBeams: 1, maxNewTokens: 20 });
    const deltas: string[] = [];
    for await (const chunk of stream) deltas.push(chunk.text);
    const result = await stream.result;
    expect(result.tokenIds).toHaveLength(20);
    expect(deltas.filter((d) => d !== "").length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(result.text);
    const beam = t5.stream(SENTENCES[2] as string, { to: "de", numBeams: 3, maxNewTokens: 10 });
    const pieces: string[] = [];
    for await (const chunk of beam) pieces.push(chunk.text);
    expect(pieces.join("")).toBe(await beam.text());
  });

  it("refuses bad input with typed errors", async () => {
    await expect(t5.translate("", { to: "de" })).rejects.toMatchObject({ name: "InputError", code: "INPUT" });
    await expect(t5.translate("   ", { to: "de" })).rejects.toMatchObject({ code: "INPUT" });
    await expect(t5.translate([], { to: "de" })).rejects.toMatchObject({ code: "INPUT" });
    await expect(t5.translate(42 as unknown as string, { to: "de" })).rejects.toMatchObject({ code: "INPUT" });
    // A pair the model cannot do, an unknown code, and an ambiguous call.
    await expect(t5.translate("Hello", { to: "ja" })).rejects.toThrow(/cannot translate.*translates en -> de/);
    await expect(t5.translate("Hello", { from: "de", to: "en" })).rejects.toMatchObject({ code: "INPUT" });
    await expect(t5.translate("Hello", { to: "klingon" })).rejects.toMatchObject({ code: "INPUT" });
    await expect(t5.translate("Hello")).rejects.toThrow(/say which with \{ to \}/);
    // Longer than the encoder window (512 tokens), for which translation has no chunking.
    const long = Array.from({ length: 200 }, (_, i) => `Sentence ${i} is here.`).join(" ");
    await expect(t5.translate(long, { to: "de" })).rejects.toThrow(/tokens long; .* reads at most 512/);
    await expect(t5.translate("Hi", { to: "de", numBeams: 0 })).rejects.toMatchObject({ code: "INPUT" });
  });

  it("stops when its signal fires: before the call, or between tokens", async () => {
    await expect(t5.translate("Hello", { to: "de", signal: AbortSignal.abort() })).rejects.toMatchObject({ code: "ABORTED" });
    const controller = new AbortController();
    const result = await t5.translate("Hello there", {
      to: "de",
      numBeams: 1,
      maxNewTokens: 30,
      signal: controller.signal,
      onToken: () => controller.abort(),
    });
    expect(result.finishReason).toBe("abort");
    expect(result.tokenIds).toHaveLength(1);
  });

  it("refuses a model of another family before running it", async () => {
    await expect(createTranslator(fixture("gpt2"), { load: LOAD })).rejects.toThrow(/needs an encoder-decoder model.*decoder model/);
    await expect(createTranslator(fixture("bert-seq-cls"), { load: LOAD })).rejects.toMatchObject({ code: "INPUT" });
    await expect(translate("Hello", { model: fixture("gpt2"), load: LOAD })).rejects.toMatchObject({ code: "INPUT" });
  });
});

describe("translate on a single-pair model (BART fixture, like Marian)", () => {
  it("needs no language, and defaults to the generation config's beam search", async () => {
    expect(bart.scheme).toEqual({ kind: "single-pair", from: undefined, to: undefined });
    const result = await bart.translate(SENTENCES[0] as string, { maxNewTokens: 8 });
    expect(result.sequences[0]?.score).toBeTypeOf("number");
    // Forced BOS (0) comes first, so the first generated token is it.
    const greedy = await bart.translate(SENTENCES[0] as string, { maxNewTokens: 8, numBeams: 1 });
    expect(greedy.tokenIds[0]).toBe(0);
  });
});

describe("one-shot translate()", () => {
  it("loads a model once per id and load options, and accepts a handle", async () => {
    const a = await translate("Hello there", { model: fixture("t5"), load: LOAD, to: "de", numBeams: 1, maxNewTokens: 5 });
    const b = await translate(["Hello there"], { model: fixture("t5"), load: LOAD, to: "de", numBeams: 1, maxNewTokens: 5 });
    expect(b[0]?.tokenIds).toEqual(a.tokenIds);
    const c = await translate("Hello there", { model: t5, to: "de", numBeams: 1, maxNewTokens: 5 });
    expect(c.tokenIds).toEqual(a.tokenIds);
    const stream = translateStream("Hello there", { model: t5, to: "de", numBeams: 1, maxNewTokens: 5 });
    let text = "";
    for await (const chunk of stream) text += chunk.text;
    expect(text).toBe(a.text);
  });
});

describe("translate on a multilingual model (language tokens)", () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it("frames the input with the source language token and forces the target one, as transformers.js does with the same ids", async () => {
    const { dir, ids } = multilingualFixture();
    made.push(dir);
    const translator = await createTranslator(dir, { load: LOAD });
    const spy = spyEncoder(translator.model);
    try {
      expect(translator.scheme).toMatchObject({ kind: "language-tokens", codes: ["en_XX", "de_DE", "fr_XX"], placement: "prefix" });
      const result = await translator.translate(SENTENCES[0] as string, { from: "English", to: "de", numBeams: 1, maxNewTokens: 10 });
      expect(result).toMatchObject({ from: "en_XX", to: "de_DE" });
      const textIds = (await translator.model.tokenizer.encode(SENTENCES[0] as string, { addSpecialTokens: false })).ids;
      const input = [ids.en_XX as number, ...textIds, 1];
      expect(spy.rows).toEqual([[input]]);
      expect(result.tokenIds[0]).toBe(ids.de_DE);

      const oracle = await loadOracle();
      const reference = await oracle.AutoModelForSeq2SeqLM.from_pretrained(dir, { dtype: "fp32" });
      const inputIds = new oracle.Tensor("int64", BigInt64Array.from(input, BigInt), [1, input.length]);
      const mask = new oracle.Tensor("int64", new BigInt64Array(input.length).fill(1n), [1, input.length]);
      const out = (await reference.generate({
        input_ids: inputIds,
        attention_mask: mask,
        forced_bos_token_id: ids.de_DE,
        max_new_tokens: 10,
        do_sample: false,
        num_beams: 1,
      })) as { tolist(): bigint[][] };
      expect(result.tokenIds).toEqual(referenceIds(out.tolist()[0] ?? [], [1]));
      await reference.dispose();

      await expect(translator.translate("Hello", { from: "en", to: "ja" })).rejects.toThrow(/Unknown language "ja"/);
      await expect(translator.translate("Hello", { from: "en" })).rejects.toThrow(/say which language to translate to/);
    } finally {
      spy.restore();
      await translator.dispose();
    }
  });

  it("puts the source token after </s> for the original mBART tokenizer", async () => {
    const { dir, ids } = multilingualFixture({ tokenizerClass: "MBartTokenizerFast" });
    made.push(dir);
    const translator = await createTranslator(dir, { load: LOAD });
    const spy = spyEncoder(translator.model);
    try {
      await translator.translate("Hello", { from: "en_XX", to: "fr_XX", numBeams: 1, maxNewTokens: 2 });
      const textIds = (await translator.model.tokenizer.encode("Hello", { addSpecialTokens: false })).ids;
      expect(spy.rows).toEqual([[[...textIds, 1, ids.en_XX as number]]]);
    } finally {
      spy.restore();
      await translator.dispose();
    }
  });
});
