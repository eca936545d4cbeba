import { fixture, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChunkEvent,
  createSummarizer,
  disposeCachedHandles,
  type Summarizer,
  type Summary,
  summarize,
  summarizeStream,
} from "../src/index.js";
import { LOAD, referenceIds, SENTENCES, spyEncoder } from "./helpers.js";

let t5: Summarizer;
let bart: Summarizer;
beforeAll(async () => {
  t5 = await createSummarizer(fixture("t5"), { load: LOAD });
  bart = await createSummarizer(fixture("bart"), { load: LOAD });
});
afterAll(async () => {
  await t5.dispose();
  await bart.dispose();
  await disposeCachedHandles();
});

const ARTICLE = SENTENCES.join(" ");

/** A document of distinct, numbered sentences, about `tokens` T5 tokens long. */
function longDocument(sentences: number): { text: string; markers: string[] } {
  const markers = Array.from(
    { length: sentences },
    (_, i) => `Report ${i} notes that shipment ${i * 7} reached harbour ${i % 11} on time.`,
  );
  return { text: markers.join(" "), markers };
}

describe("summarize", () => {
  it("puts T5's summarize: prefix first and matches transformers.js greedy decoding with the task's settings", async () => {
    expect(t5.prefix).toBe("summarize: ");
    const spy = spyEncoder(t5.model);
    const ours = await t5.summarize(ARTICLE, { numBeams: 1, maxNewTokens: 40 });
    spy.restore();
    const prefixed = `summarize: ${ARTICLE}`;
    expect(spy.rows).toEqual([[(await t5.model.tokenizer.encode(prefixed)).ids]]);
    // task_specific_params.summarization: min_length 30 (so at least 29 new tokens), no_repeat_ngram_size 3.
    expect(ours.tokenIds.length).toBeGreaterThanOrEqual(29);
    const oracle = await loadOracle();
    const tokenizer = await oracle.AutoTokenizer.from_pretrained(fixture("t5"));
    const reference = await oracle.AutoModelForSeq2SeqLM.from_pretrained(fixture("t5"), { dtype: "fp32" });
    const out = (await reference.generate({
      ...tokenizer(prefixed),
      max_new_tokens: 40,
      min_length: 30,
      no_repeat_ngram_size: 3,
      do_sample: false,
      num_beams: 1,
    })) as { tolist(): bigint[][] };
    expect(ours.tokenIds).toEqual(referenceIds(out.tolist()[0] ?? [], [1]));
    await reference.dispose();
    expect(ours).toMatchObject({ chunks: 1, chunkSummaries: [], levels: 0 });
  });

  it("defaults to beam search where generation_config.json says num_beams 4 (BART)", async () => {
    const result = await bart.summarize(ARTICLE, { maxNewTokens: 10, numReturnSequences: 2 });
    expect(result.sequences).toHaveLength(2);
    expect(result.sequences[0]?.score).toBeTypeOf("number");
    expect(result.sequences[0]?.score).toBeGreaterThanOrEqual(result.sequences[1]?.score as number);
    // generation_config: forced BOS 0 first, min_length 4, forced EOS at the length limit.
    expect(result.tokenIds[0]).toBe(0);
  });

  it("summarises a document several times the window by chunks: every chunk goes through the encoder, then one final pass", async () => {
    const { text, markers } = longDocument(130);
    const length = (await t5.model.tokenizer.encode(`summarize: ${text}`)).ids.length;
    expect(length).toBeGreaterThan(3 * t5.maxInputTokens);
    const events: ChunkEvent[] = [];
    const spy = spyEncoder(t5.model);
    let result: Summary;
    try {
      result = await t5.summarize(text, { numBeams: 1, maxNewTokens: 24, minNewTokens: 4, batchSize: 2, onChunk: (e) => events.push(e) });
    } finally {
      spy.restore();
    }
    expect(typeof result.text).toBe("string");
    expect(result.levels).toBe(1);
    expect(result.chunks).toBeGreaterThanOrEqual(4);
    expect(result.chunkSummaries).toHaveLength(result.chunks);
    expect(events.map((e) => e.index)).toEqual(Array.from({ length: result.chunks }, (_, i) => i));
    expect(events.every((e) => e.count === result.chunks && e.level === 0)).toBe(true);
    // Encoder calls: the chunks in batches of 2, then the joined summaries once.
    const calls = spy.rows;
    const final = calls.at(-1) as number[][];
    expect(final).toHaveLength(1);
    const chunkRows = calls.slice(0, -1).flat();
    expect(chunkRows).toHaveLength(result.chunks);
    for (const row of chunkRows) expect(row.length).toBeLessThanOrEqual(t5.maxInputTokens);
    // Every sentence of the document reached the encoder (batches run shortest first).
    const seen = (await Promise.all(chunkRows.map((row) => t5.model.tokenizer.decode(row)))).join(" ");
    for (const marker of markers) expect(seen, marker).toContain(marker);
    // The chunks are the document's sentences, in order, none left out.
    expect(events.map((e) => e.text).join(" ")).toBe(text);
    // The final pass read the chunk summaries, prefixed.
    const joined = result.chunkSummaries.filter((s) => s !== "").join(" ");
    expect(final[0]).toEqual((await t5.model.tokenizer.encode(`summarize: ${joined}`)).ids);
    expect(result.metrics.promptTokens).toBe(calls.flat().reduce((n, row) => n + row.length, 0));
  });

  it("honours maxInputTokens, and batches short and long texts in one call, in order", async () => {
    const { text } = longDocument(12);
    const [short, long, again] = await bart.summarize([ARTICLE, text, SENTENCES[1] as string], {
      numBeams: 1,
      maxNewTokens: 12,
      maxInputTokens: 64,
    });
    expect(long?.chunks).toBeGreaterThanOrEqual(3);
    expect(short?.chunks).toBe(1);
    const alone = await bart.summarize(SENTENCES[1] as string, { numBeams: 1, maxNewTokens: 12 });
    expect(again?.tokenIds).toEqual(alone.tokenIds);
    const longAlone = await bart.summarize(text, { numBeams: 1, maxNewTokens: 12, maxInputTokens: 64 });
    expect(long?.tokenIds).toEqual(longAlone.tokenIds);
  });

  it("streams deltas that add up to the final summary, for a short text and for a chunked one", async () => {
    const { text } = longDocument(40);
    for (const [input, options] of [
      [ARTICLE, {}],
      [text, { maxInputTokens: 128 }],
    ] as const) {
      const stream = t5.stream(input, { numBeams: 1, maxNewTokens: 30, ...options });
      let joined = "";
      let pieces = 0;
      for await (const chunk of stream) {
        joined += chunk.text;
        pieces += 1;
      }
      const result = await stream.result;
      expect(pieces).toBeGreaterThan(3);
      expect(joined).toBe(result.text);
    }
    const oneShot = summarizeStream(ARTICLE, { model: t5, numBeams: 1, maxNewTokens: 10 });
    let text2 = "";
    for await (const chunk of oneShot) text2 += chunk.text;
    expect(text2).toBe((await summarize(ARTICLE, { model: t5, numBeams: 1, maxNewTokens: 10 })).text);
  });

  it("refuses bad input with typed errors, and a too-long text with chunking off before running anything", async () => {
    await expect(t5.summarize("")).rejects.toMatchObject({ name: "InputError", code: "INPUT" });
    await expect(t5.summarize(["fine", " \n "])).rejects.toThrow(/empty text \(texts\[1\]\)/);
    await expect(t5.summarize(null as unknown as string)).rejects.toMatchObject({ code: "INPUT" });
    const spy = spyEncoder(t5.model);
    try {
      await expect(t5.summarize(longDocument(130).text, { chunking: false })).rejects.toThrow(/more than the 512 .* chunking is off/);
      expect(spy.rows).toHaveLength(0);
    } finally {
      spy.restore();
    }
    await expect(t5.summarize(ARTICLE, { maxInputTokens: 100_000 })).rejects.toMatchObject({ code: "INPUT" });
    await expect(t5.summarize(ARTICLE, { batchSize: 0 })).rejects.toMatchObject({ code: "INPUT" });
    await expect(createSummarizer(fixture("llama"), { load: LOAD })).rejects.toThrow(/needs an encoder-decoder model/);
    await expect(summarize("text", { model: fixture("bert-qa"), load: LOAD })).rejects.toMatchObject({ code: "INPUT" });
    const translatorLike = { task: "translate", dispose: async () => undefined } as unknown as Summarizer;
    await expect(summarize("text", { model: translatorLike })).rejects.toThrow(/handle made for translate/);
  });
});
