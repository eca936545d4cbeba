import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { embeddedModelPath } from "@proj/models";
import { EMBEDDED_DTYPE, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cosineSimilarity, createEmbedder, disposeCachedHandles, type Embedder, embed } from "../src/index.js";

/**
 * The sentence-embedding model embedded in @proj/models (`models/embedding`: an English-German BERT body trained
 * contrastively on Multi30k en-de caption pairs and STS-B train pairs) is embed()'s default: it works offline, with
 * no Hub cache, puts paraphrases closer than unrelated sentences, puts a sentence's German translation closer than an
 * unrelated German sentence (one bilingual space), and gives transformers.js's `feature-extraction` vectors on the
 * same files. Its held-out scores (STS-B dev, Multi30k test_2016 en<->de retrieval) are measured by
 * packages/models-lab/eval/embedding.mjs, not here.
 */

const dir = embeddedModelPath("embedding");
const hfHome = mkdtempSync(join(tmpdir(), "proj-embedded-embedding-"));
const saved = { offline: process.env.HF_HUB_OFFLINE, home: process.env.HF_HOME };

// Sentences written for this test (not from the training or evaluation data).
const dog = "A dog runs in the grass.";
const puppy = "A puppy is running on the lawn.";
const guitar = "A man plays the guitar on stage.";
const hund = "Ein Hund rennt durch das Gras."; // dog, in German
const gitarre = "Ein Mann spielt Gitarre auf der Bühne."; // guitar, in German
const texts = [
  dog,
  puppy,
  guitar,
  "Two children are building a sandcastle at the beach.",
  "ok",
  "Zwei Kinder bauen eine Sandburg am Strand.",
];

beforeAll(() => {
  process.env.HF_HUB_OFFLINE = "1";
  process.env.HF_HOME = hfHome; // an empty cache: nothing can come from the Hub
});
afterAll(async () => {
  await disposeCachedHandles();
  for (const [key, value] of [
    ["HF_HUB_OFFLINE", saved.offline],
    ["HF_HOME", saved.home],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(hfHome, { recursive: true, force: true });
});

describe("embedded embedding model (@proj/models embedding)", () => {
  it("is shipped, with sentence-transformers mean pooling and Normalize", () => {
    expect(dir, "packages/models/models/embedding exists").toBeTypeOf("string");
  });

  it("is embed()'s default offline: no model given, the embedded model's normalized 128-d vectors", async () => {
    const fallback = await embed(texts);
    const explicit = await embed(texts, { model: dir as string });
    expect(fallback).toHaveLength(texts.length);
    fallback.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(128);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      expect(Array.from(v)).toEqual(Array.from(explicit[i] as Float32Array));
    });
  });

  it("puts a paraphrase closer than an unrelated sentence", async () => {
    const [a, b, c] = await embed([dog, puppy, guitar]);
    const close = cosineSimilarity(a as Float32Array, b as Float32Array);
    const far = cosineSimilarity(a as Float32Array, c as Float32Array);
    expect(close).toBeGreaterThan(far);
  });

  it("puts a sentence's German translation closer than an unrelated German sentence, and the other way round", async () => {
    const [en1, en2, de1, de2] = (await embed([dog, guitar, hund, gitarre])) as Float32Array[];
    // Measured on the shipped model: cos(dog, hund) 0.94 vs cos(dog, gitarre) 0.66; cos(guitar, gitarre) 0.91 vs
    // cos(guitar, hund) 0.68.
    const triples: Array<[Float32Array, Float32Array, Float32Array]> = [
      [en1 as Float32Array, de1 as Float32Array, de2 as Float32Array],
      [en2 as Float32Array, de2 as Float32Array, de1 as Float32Array],
      [de1 as Float32Array, en1 as Float32Array, en2 as Float32Array],
      [de2 as Float32Array, en2 as Float32Array, en1 as Float32Array],
    ];
    for (const [query, match, other] of triples) {
      expect(cosineSimilarity(query, match)).toBeGreaterThan(cosineSimilarity(query, other) + 0.1);
    }
  });

  describe("equals transformers.js feature-extraction (mean pooling, normalize) on the same files", () => {
    let embedder: Embedder;
    let extract: (t: string[], o: { pooling: "mean"; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const { pipeline } = await loadOracle();
      const pipe = await pipeline("feature-extraction", dir as string, { dtype: EMBEDDED_DTYPE });
      extract = pipe as unknown as typeof extract;
      dispose = () => pipe.dispose();
      embedder = await createEmbedder(dir as string, { load: { threads: 1 } });
    });
    afterAll(async () => {
      await dispose?.();
      await embedder?.dispose();
    });

    it("every value within 1e-4, one text at a time and batched", async () => {
      expect(embedder.pooling).toBe("mean");
      const got = await embedder.embed(texts);
      const want = await extract(texts, { pooling: "mean", normalize: true });
      const d = want.dims[1] as number;
      expect(d).toBe(128);
      let max = 0;
      got.forEach((row, i) => {
        for (let j = 0; j < d; j++) max = Math.max(max, Math.abs((row[j] as number) - (want.data[i * d + j] as number)));
      });
      expect(max).toBeLessThan(1e-4);
      for (const [i, text] of texts.entries()) {
        const one = await extract([text], { pooling: "mean", normalize: true });
        const diff = Math.max(...one.data.map((v, j) => Math.abs(v - (got[i]?.[j] as number))));
        expect(diff).toBeLessThan(1e-4);
      }
    });
  });
});
