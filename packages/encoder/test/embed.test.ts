import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "@proj/core";
import { fixture, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibrationRanges, createEmbedder, disposeCachedHandles, type Embedder, embed } from "../src/index.js";
import { fixtureTokenizer, mixedLengthSentences } from "./support/helpers.js";

const model = fixture("bert-embed");
const texts = [
  "A man is playing a guitar.",
  "ok",
  "Two dogs run through a snowy field, chasing a red ball thrown by a child in a blue coat — 😀 naïve café.",
  "The quick brown fox jumps over the lazy dog.",
];

type Extractor = (
  texts: string[],
  options: { pooling: "mean" | "cls"; normalize: boolean },
) => Promise<{ data: Float32Array; dims: number[] }>;
let extractor: Extractor;
let embedder: Embedder;
let dispose: () => Promise<void>;
const tmp = mkdtempSync(join(tmpdir(), "embed-test-"));

beforeAll(async () => {
  const oracle = await loadOracle();
  const pipe = await oracle.pipeline("feature-extraction", model, { dtype: "fp32" });
  extractor = pipe as unknown as Extractor;
  dispose = () => pipe.dispose();
  embedder = await createEmbedder(model, { load: { threads: 1 } });
});
afterAll(async () => {
  await dispose();
  await embedder.dispose();
  await disposeCachedHandles();
  rmSync(tmp, { recursive: true, force: true });
});

/** The largest absolute difference between rows and a [n, d] tensor. */
function maxDiff(rows: readonly Float32Array[], want: { data: Float32Array; dims: number[] }): number {
  const d = want.dims[1] as number;
  expect(rows.map((r) => r.length)).toEqual(rows.map(() => d));
  let max = 0;
  rows.forEach((row, i) => {
    for (let j = 0; j < d; j++) max = Math.max(max, Math.abs((row[j] as number) - (want.data[i * d + j] as number)));
  });
  return max;
}

/** A copy of the fixture without some of its files. */
function copyWithout(name: string, ...drop: string[]): string {
  const dir = join(tmp, name);
  cpSync(model, dir, { recursive: true });
  for (const file of drop) rmSync(join(dir, file), { recursive: true, force: true });
  return dir;
}

/** Mean-pools the oracle model's last_hidden_state for given token ids (one row, no padding). */
async function oracleMeanPool(ids: readonly number[]): Promise<Float64Array> {
  const oracle = await loadOracle();
  const net = await oracle.AutoModel.from_pretrained(model, { dtype: "fp32" });
  const tensor = (values: number[]) => new oracle.Tensor("int64", BigInt64Array.from(values, BigInt), [1, values.length]);
  const out = (await net({
    input_ids: tensor([...ids]),
    attention_mask: tensor(ids.map(() => 1)),
    token_type_ids: tensor(ids.map(() => 0)),
  })) as { last_hidden_state: { data: Float32Array; dims: number[] } };
  await net.dispose();
  const [, length, size] = out.last_hidden_state.dims as [number, number, number];
  const pooled = new Float64Array(size);
  for (let t = 0; t < length; t++)
    for (let d = 0; d < size; d++) pooled[d] = (pooled[d] as number) + (out.last_hidden_state.data[t * size + d] as number) / length;
  return pooled;
}

describe("embed() matches transformers.js feature-extraction on the bert-embed fixture", () => {
  for (const pooling of ["mean", "cls"] as const) {
    for (const normalize of [true, false]) {
      it(`pooling ${pooling}, normalize ${normalize}: every value within 1e-4`, async () => {
        const got = await embed(texts, { model, pooling, normalize });
        const want = await extractor(texts, { pooling, normalize });
        expect(maxDiff(got, want)).toBeLessThan(1e-4);
      });
    }
  }

  it("without options, uses the sentence-transformers folder: mean pooling, then the Normalize module", async () => {
    expect(embedder.pooling).toBe("mean");
    expect(embedder.dimensions).toBe(8);
    const got = await embedder.embed(texts);
    expect(maxDiff(got, await extractor(texts, { pooling: "mean", normalize: true }))).toBeLessThan(1e-4);
    const norms = got.map((v) => Math.hypot(...v));
    for (const n of norms) expect(n).toBeCloseTo(1, 5);
  });

  it("one string gives one Float32Array; batches bucketed by length give each text the vector it gets alone", async () => {
    const one = await embedder.embed(texts[2] as string);
    expect(one).toBeInstanceOf(Float32Array);
    const many = mixedLengthSentences(9);
    const batched = await embedder.embed(many, { batchSize: 2 });
    for (const [i, text] of many.entries()) {
      const alone = await embedder.embed(text);
      const diff = Math.max(...alone.map((v, d) => Math.abs(v - (batched[i]?.[d] as number))));
      expect(diff).toBeLessThan(1e-5);
    }
  });
});

describe("prompts and Matryoshka dimensions", () => {
  it('promptName "query" prepends config_sentence_transformers.json\'s "query: "; prompt prepends its text', async () => {
    expect(embedder.prompts).toEqual({ query: "query: ", passage: "passage: " });
    const byName = await embedder.embed(texts, { promptName: "query" });
    const byHand = await embedder.embed(texts.map((t) => `query: ${t}`));
    const byPrompt = await embedder.embed(texts, { prompt: "query: " });
    expect(byName).toEqual(byHand);
    expect(byPrompt).toEqual(byHand);
    expect(byName).not.toEqual(await embedder.embed(texts, { promptName: "passage" }));
  });

  it("an unknown promptName, or prompt with promptName, is an InputError naming the model's prompts", async () => {
    await expect(embedder.embed(texts, { promptName: "search" })).rejects.toThrow(/promptName "search" is not a prompt/);
    const error = await embedder.embed(texts, { promptName: "search" }).catch((e: unknown) => e);
    expect(InputError.isInstance(error)).toBe(true);
    expect(String((error as InputError).hint)).toBe('its prompts are "passage", "query"');
    await expect(embedder.embed(texts, { prompt: "q: ", promptName: "query" })).rejects.toThrow(/prompt or promptName/);
  });

  it("dimensions keeps the first values of the pooled vector and re-normalizes them", async () => {
    const raw = await extractor(texts, { pooling: "mean", normalize: false });
    const got = await embedder.embed(texts, { dimensions: 3 });
    got.forEach((row, i) => {
      const head = Array.from(raw.data.subarray(i * 8, i * 8 + 3));
      const length = Math.hypot(...head);
      expect(row).toHaveLength(3);
      head.forEach((v, d) => {
        expect(Math.abs((row[d] as number) - v / length)).toBeLessThan(1e-4);
      });
    });
    const unnormalized = await embedder.embed(texts[0] as string, { dimensions: 3, normalize: false });
    expect(Array.from(unnormalized).map((v, d) => Math.abs(v - (raw.data[d] as number)))).toSatisfy((d: number[]) => Math.max(...d) < 1e-4);
  });

  it("dimensions above the model's or at most 0 are InputErrors naming dimensions", async () => {
    for (const dimensions of [9, 0, -1, 2.5]) {
      await expect(embed(texts, { model, dimensions })).rejects.toThrow(/dimensions must be an integer in \[1, 8\]/);
    }
  });
});

describe("precision: sentence-transformers' quantize_embeddings, computed by hand", () => {
  it("int8 and uint8 with the batch's own ranges: floor((x - min) / ((max - min) / 255)) (- 128)", async () => {
    const floats = await embedder.embed(texts);
    const int8 = await embedder.embed(texts, { precision: "int8" });
    const uint8 = await embedder.embed(texts, { precision: "uint8" });
    expect(int8[0]).toBeInstanceOf(Int8Array);
    expect(uint8[0]).toBeInstanceOf(Uint8Array);
    for (let d = 0; d < 8; d++) {
      const column = floats.map((row) => row[d] as number);
      const [min, max] = [Math.min(...column), Math.max(...column)];
      const step = Math.fround(Math.fround(max - min) / 255);
      column.forEach((x, i) => {
        const scaled = Math.fround(Math.fround(x - min) / step);
        expect(uint8[i]?.[d]).toBe(Math.min(255, Math.trunc(scaled)));
        expect(int8[i]?.[d]).toBe(Math.min(127, Math.trunc(Math.fround(scaled - 128))));
      });
      // The batch minimum maps to the lowest code; the maximum to 255 (254 when float32 rounding lands below).
      expect(Math.min(...uint8.map((r) => r[d] as number))).toBe(0);
      expect(Math.max(...uint8.map((r) => r[d] as number))).toBeGreaterThanOrEqual(254);
      expect(Math.min(...int8.map((r) => r[d] as number))).toBe(-128);
    }
  });

  it("int8 with explicit ranges codes each text the same whatever the batch; one text without ranges is refused", async () => {
    const ranges = { min: new Array(8).fill(-1), max: new Array(8).fill(1) };
    const [alone] = await embedder.embed([texts[0] as string], { precision: "int8", ranges });
    const inBatch = await embedder.embed(texts, { precision: "int8", ranges });
    expect(alone).toEqual(inBatch[0]);
    const [floats] = await embedder.embed([texts[0] as string]);
    alone?.forEach((code, d) => {
      expect(code).toBe(Math.trunc(Math.fround(Math.fround(Math.fround((floats?.[d] as number) + 1) / Math.fround(2 / 255)) - 128)));
    });
    expect(calibrationRanges(inBatch.map((r) => Float32Array.from(r))).min).toHaveLength(8);
    await expect(embedder.embed(texts[0] as string, { precision: "uint8" })).rejects.toThrow(/calibration ranges/);
    await expect(embedder.embed(texts, { precision: "int8", ranges: { min: [0], max: [1] } })).rejects.toThrow(/ranges must hold 8/);
  });

  it("binary and ubinary pack x > 0 into bits, first dimension in the high bit; binary is ubinary - 128", async () => {
    const floats = await embedder.embed(texts);
    const ubinary = await embedder.embed(texts, { precision: "ubinary" });
    const binary = await embedder.embed(texts, { precision: "binary" });
    floats.forEach((row, i) => {
      let byte = 0;
      row.forEach((x, d) => {
        if (x > 0) byte += 2 ** (7 - d);
      });
      expect(Array.from(ubinary[i] as Uint8Array)).toEqual([byte]);
      expect(Array.from(binary[i] as Int8Array)).toEqual([byte - 128]);
    });
  });
});

describe("long texts are never cut silently", () => {
  const long = Array.from({ length: 40 }, (_, i) => `word${i % 7} runs`).join(" ");

  it('by default a text over maxLength is an InputError naming truncation; "truncate" embeds its first tokens', async () => {
    await expect(embedder.embed(["short", long], { maxLength: 16 })).rejects.toThrow(
      /texts\[1\] is \d+ tokens long; the model embeds at most 16/,
    );
    const tokenizer = await fixtureTokenizer("bert-embed");
    const full = await tokenizer.encode(long);
    const cut = [...full.ids.slice(0, 15), full.ids.at(-1) as number];
    const got = await embedder.embed(long, { maxLength: 16, truncation: "truncate", normalize: false });
    const want = await oracleMeanPool(cut);
    expect(Math.max(...Array.from(got, (v, d) => Math.abs(v - (want[d] as number))))).toBeLessThan(1e-4);
  });

  it('"window" returns the mean of the pooled windows over the whole text', async () => {
    const tokenizer = await fixtureTokenizer("bert-embed");
    const windows = await tokenizer.encodeWindows(long, { maxLength: 16, stride: 4 });
    expect(windows.length).toBeGreaterThan(2);
    const pooled = await Promise.all(windows.map((w) => oracleMeanPool(w.ids)));
    const got = await embedder.embed(long, { maxLength: 16, stride: 4, truncation: "window", normalize: false });
    got.forEach((v, d) => {
      const want = pooled.reduce((s, p) => s + (p[d] as number), 0) / pooled.length;
      expect(Math.abs(v - want)).toBeLessThan(1e-4);
    });
  });

  it("a 1 MB text is refused with the truncation hint", async () => {
    const huge = "lorem ipsum ".repeat(90_000);
    const error = await embedder.embed(huge).catch((e: unknown) => e);
    expect(InputError.isInstance(error)).toBe(true);
    expect(String((error as InputError).hint)).toContain("truncation");
  });
});

describe("hostile input and models", () => {
  it("an empty list gives []; empty strings and non-strings are InputErrors", async () => {
    expect(await embed([], { model })).toEqual([]);
    await expect(embed("", { model })).rejects.toThrow(/empty string as text/);
    await expect(embed(["ok", "  "], { model })).rejects.toThrow(/texts\[1\]/);
    await expect(embed(["ok", 5 as unknown as string], { model })).rejects.toThrow(/texts\[1\] to be a string, got a number/);
    await expect(embed({} as unknown as string[], { model })).rejects.toThrow(InputError);
    await expect(embed(["ok"], { model, normalise: true } as never)).rejects.toThrow(/no option "normalise"/);
  });

  it("a model without sentence-transformers pooling and no pooling option is an InputError naming pooling", async () => {
    const bare = copyWithout("bare", "modules.json", "1_Pooling", "config_sentence_transformers.json", "sentence_bert_config.json");
    const error = await embed(texts, { model: bare }).catch((e: unknown) => e);
    expect(InputError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/pooling/);
    const cls = await embed(texts, { model: bare, pooling: "cls" });
    expect(maxDiff(cls, await extractor(texts, { pooling: "cls", normalize: false }))).toBeLessThan(1e-4);
  });

  it("a classification model is refused as a model for another task", async () => {
    await expect(createEmbedder(fixture("bert-seq-cls"))).rejects.toThrow(/feature extraction head.*text classification/);
  });
});
