import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, fixture, fixturesDir, loadOracle } from "../src/index.js";

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
}

describe("every fixture loads and runs in transformers.js from its local folder (remote models off)", () => {
  it("the BERT fixtures run their pipelines", async () => {
    const { pipeline } = await loadOracle();
    const classify = await pipeline("text-classification", fixture("bert-seq-cls"), { dtype: "fp32" });
    const [label] = (await classify("I love this movie")) as Array<{ label: string; score: number }>;
    expect(["NEGATIVE", "POSITIVE"]).toContain(label?.label);
    const ner = await pipeline("token-classification", fixture("bert-token-cls"), { dtype: "fp32" });
    const entities = (await ner("Barack Obama visited Paris", { ignore_labels: [] })) as Array<{ entity: string }>;
    expect(entities.length).toBeGreaterThan(0);
    expect(entities.every((e) => /^(O|[BI]-(PER|ORG|LOC|MISC))$/.test(e.entity))).toBe(true);
    const qa = await pipeline("question-answering", fixture("bert-qa"), { dtype: "fp32" });
    const answer = (await qa("Where is the tower?", "The tower is in Paris.")) as { answer: string };
    expect(typeof answer.answer).toBe("string");
    const fill = await pipeline("fill-mask", fixture("bert-mlm"), { dtype: "fp32" });
    const filled = (await fill("The capital of France is [MASK].")) as Array<{ token_str: string }>;
    expect(filled).toHaveLength(5);
    for (const p of [classify, ner, qa, fill]) await p.dispose();
  });

  it("the embedding fixtures run feature-extraction, text-classification and zero-shot-classification", async () => {
    const { pipeline } = await loadOracle();
    const extract = await pipeline("feature-extraction", fixture("bert-embed"), { dtype: "fp32" });
    const embedding = await extract("a dog runs", { pooling: "mean", normalize: true });
    expect(embedding.dims).toEqual([1, 8]);
    const cross = await pipeline("text-classification", fixture("bert-cross-encoder"), { dtype: "fp32" });
    const [scored] = (await cross("a dog runs", { text_pair: "a dog is running", top_k: null })) as Array<{ label: string }>;
    expect(scored?.label).toBe("LABEL_0");
    const zeroShot = await pipeline("zero-shot-classification", fixture("bert-nli"), { dtype: "fp32" });
    const result = (await zeroShot("a dog runs", ["animals", "sports"])) as { labels: string[]; scores: number[] };
    expect([...result.labels].sort()).toEqual(["animals", "sports"]);
    for (const p of [extract, cross, zeroShot]) await p.dispose();
  });

  for (const name of ["gpt2", "llama", "qwen2-tools"] as const) {
    it(`${name} generates with its KV cache`, async () => {
      const { pipeline } = await loadOracle();
      const generate = await pipeline("text-generation", fixture(name), { dtype: "fp32" });
      const [out] = (await generate("Hello there", { max_new_tokens: 8, do_sample: false })) as Array<{ generated_text: string }>;
      expect(out?.generated_text.startsWith("Hello there")).toBe(true);
      expect(out?.generated_text.length).toBeGreaterThan("Hello there".length);
      await generate.dispose();
    });
  }

  for (const name of ["bart", "t5"] as const) {
    it(`${name} generates with encoder_model + decoder_model_merged`, async () => {
      const { pipeline } = await loadOracle();
      const summarize = await pipeline("summarization", fixture(name), { dtype: "fp32" });
      const [out] = (await summarize("The quick brown fox jumps over the lazy dog. It was a sunny day.", { max_new_tokens: 8 })) as Array<{
        summary_text: string;
      }>;
      expect(typeof out?.summary_text).toBe("string");
      await summarize.dispose();
    });
  }

  it("all fixtures together stay small (under 40 MB)", () => {
    const total = FIXTURES.reduce((n, name) => n + folderBytes(fixture(name)), 0);
    expect(total).toBeGreaterThan(1e6);
    expect(total).toBeLessThan(40 * 1024 * 1024);
    expect(readdirSync(fixturesDir).sort()).toEqual([...FIXTURES].sort());
  });
});
