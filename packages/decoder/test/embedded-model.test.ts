import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OfflineError } from "@proj/core";
import { embeddedModelPath } from "@proj/models";
import { EMBEDDED_DTYPE, generatedIds, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chat,
  createGenerator,
  DEFAULT_CHAT_MODEL,
  defaultGenerationModel,
  disposeCachedHandles,
  type LocalGenerator,
  generate,
  stream,
} from "../src/index.js";

/**
 * The caption language model embedded in @proj/models is the default of generate() and stream(): it writes
 * caption-like English and gives transformers.js's greedy tokens. Its perplexity is measured by
 * packages/models-lab/eval/generation.mjs, not here.
 */

// The shipped weights are int8 (see the model cards): @proj picks them with dtype "auto", the only variant present.
const DTYPE = EMBEDDED_DTYPE;
const generation = embeddedModelPath("generation");

describe("embedded caption LM (@proj/models generation)", () => {
  const dir = generation as string;
  expect(dir, "@proj/models ships models/generation").toBeTypeOf("string");
  let generator: LocalGenerator;
  beforeAll(async () => {
    generator = await createGenerator(dir, { load: { threads: 1 } });
  });
  afterAll(async () => {
    await generator?.dispose();
  });

  it("loads its int8 graph by default and continues a caption with caption-like English", async () => {
    expect(generator.model.dtypes).toEqual({ model: DTYPE });
    for (const prompt of ["A man", "a man", "Two dogs"]) {
      const r = await generator.generate(prompt, { maxNewTokens: 30 });
      expect(r.finishReason).toBe("stop"); // a caption ends with <|endoftext|>, well before 30 tokens
      const words = r.text.trim().split(/\s+/);
      expect(words.length).toBeGreaterThanOrEqual(3);
      expect(r.text).toMatch(/^ (is|are|in|on|with|and|wearing|sitting|standing|walking|running|playing|riding|holding)\b/);
      expect(r.text).toMatch(/\b(a|an|the)\b/);
      expect(r.text).toMatch(/\.$/);
    }
  });

  it("gives the same greedy tokens as transformers.js", async () => {
    const oracle = await loadOracle();
    const tokenizer = await oracle.AutoTokenizer.from_pretrained(dir);
    const reference = await oracle.AutoModelForCausalLM.from_pretrained(dir, { dtype: DTYPE });
    for (const prompt of ["A man", "A little girl in a pink dress", "Two people"]) {
      const inputs = tokenizer(prompt);
      const promptLength = inputs.input_ids.dims[1] as number;
      const out = (await reference.generate({ ...inputs, max_new_tokens: 20, do_sample: false, num_beams: 1 })) as {
        tolist(): bigint[][];
      };
      const want = generatedIds(out.tolist()[0] ?? [], promptLength, 0);
      const got = await generator.generate(prompt, { maxNewTokens: 20 });
      expect(want.length).toBeGreaterThan(2);
      expect(got.tokenIds).toEqual(want);
      expect(got.text).toBe(await tokenizer.decode(want, { skip_special_tokens: true }));
    }
    await reference.dispose();
  });
});

describe("defaults", () => {
  afterAll(async () => {
    await disposeCachedHandles();
  });

  it("generate() and stream() use the embedded model when no model is given, offline", async () => {
    expect(defaultGenerationModel()).toBe(generation);
    const direct = await generate("Two dogs", { maxNewTokens: 20 });
    expect(direct.text).toMatch(/^ (are|play|run|running|playing)\b/);
    const s = stream("Two dogs", { maxNewTokens: 20 });
    let streamed = "";
    for await (const { text } of s) streamed += text;
    expect(streamed).toBe(direct.text);
    expect((await s.result).tokenIds).toEqual(direct.tokenIds);
  });

  it("chat() has no embedded model (none has a chat template): offline it fails naming its Hub default", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "proj-empty-hub-"));
    try {
      const error = await chat([{ role: "user", content: "Hi" }], { load: { hub: { cacheDir, offline: true } } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OfflineError);
      expect((error as Error).message).toContain(DEFAULT_CHAT_MODEL);
      expect((error as Error).message).toMatch(/folder/i);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
