import { join } from "node:path";
import { FIXTURES, fixture } from "@proj/testing";
import { describe, expect, it } from "vitest";
import { ChooserError, describeConfig, describeModel } from "../src/index.js";

const FIXTURE_TASKS = {
  "bert-seq-cls": ["text-classification"],
  "bert-token-cls": ["token-classification"],
  "bert-qa": ["question-answering"],
  "bert-mlm": ["fill-mask", "bias-audit"],
  "bert-embed": ["feature-extraction", "sentence-similarity"],
  "bert-cross-encoder": ["text-classification", "text-ranking"],
  "bert-nli": ["text-classification", "zero-shot-classification"],
  gpt2: ["text-generation", "generative-qa"],
  llama: ["text-generation", "generative-qa"],
  "qwen2-tools": ["text-generation", "chat", "generative-qa"], // its tokenizer_config.json has a chat template
  bart: ["summarization"],
  t5: ["translation", "summarization", "generative-qa"],
} as const;

describe("describeModel on the fixtures", () => {
  // That the chooser and @proj/core read these configs alike is checked in core's test/config-chooser.test.ts
  // (core depends on the chooser, so the chooser's tests cannot import core).
  for (const name of FIXTURES) {
    it(`${name}: the tasks its head and config say, and a parameter count`, async () => {
      const d = await describeModel(fixture(name));
      expect(d.tasks).toEqual(FIXTURE_TASKS[name]);
      expect(d.parameters).toBeGreaterThan(0);
    });
  }

  it("reads a config.json path as its folder", async () => {
    const byFolder = await describeModel(fixture("bert-seq-cls"));
    const byFile = await describeModel(join(fixture("bert-seq-cls"), "config.json"));
    expect(byFile).toEqual(byFolder);
    expect(byFolder.labels).toEqual(["NEGATIVE", "POSITIVE"]);
  });

  it("a folder without config.json is a CONFIG_NOT_FOUND ChooserError", async () => {
    const error = await describeModel("/no/such/model").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChooserError);
    expect((error as ChooserError).code).toBe("CONFIG_NOT_FOUND");
    expect((error as ChooserError).message).toContain("/no/such/model/config.json");
  });

  it("a config without model_type or sizes is an INVALID_CONFIG ChooserError naming the field", () => {
    expect(() => describeConfig({ hidden_size: 8 })).toThrow(/model_type/);
    expect(() => describeConfig({ model_type: "bert", vocab_size: 10, num_attention_heads: 2, num_hidden_layers: 2 })).toThrow(
      /hidden_size/,
    );
    expect(() => describeConfig({ model_type: "mystery", hidden_size: 8, vocab_size: 10 })).toThrow(/architecture family/);
  });
});

describe("parameters and memory", () => {
  const gpt2 = {
    model_type: "gpt2",
    architectures: ["GPT2LMHeadModel"],
    n_embd: 768,
    n_layer: 12,
    n_head: 12,
    vocab_size: 50257,
    n_positions: 1024,
  };
  const llama1b = {
    model_type: "llama",
    architectures: ["LlamaForCausalLM"],
    vocab_size: 128256,
    hidden_size: 2048,
    intermediate_size: 8192,
    num_hidden_layers: 16,
    num_attention_heads: 32,
    num_key_value_heads: 8,
    max_position_embeddings: 131072,
    tie_word_embeddings: true,
  };

  it("counts GPT-2 small at 124.4M parameters, as published", () => {
    expect(describeConfig(gpt2).parameters).toBe(124_439_808);
  });

  it("the KV cache per token is 2 × layers × KV heads × head size × bytes", () => {
    expect(describeConfig(gpt2).memory.kvCacheBytesPerToken).toBe(2 * 12 * 12 * 64 * 4);
    // Grouped-query attention: 8 KV heads, not 32.
    expect(describeConfig(llama1b).memory.kvCacheBytesPerToken).toBe(2 * 16 * 8 * 64 * 4);
    expect(describeConfig(llama1b, { dtype: "fp16" }).memory.kvCacheBytesPerToken).toBe(2 * 16 * 8 * 64 * 2);
  });

  it("the KV cache grows with batch and length; weights do not", () => {
    const one = describeConfig(llama1b, { batchSize: 1, sequenceLength: 1000, outputLength: 24 }).memory;
    const four = describeConfig(llama1b, { batchSize: 4, sequenceLength: 1000, outputLength: 24 }).memory;
    expect(one.kvCacheBytes).toBe(65536 * 1024);
    expect(four.kvCacheBytes).toBe(4 * one.kvCacheBytes);
    expect(four.weightsBytes).toBe(one.weightsBytes);
    expect(four.totalBytes).toBeGreaterThan(one.totalBytes);
  });

  it("quantized weights take a quarter (q8) and an eighth (q4) of fp32", () => {
    const fp32 = describeConfig(gpt2).memory.weightsBytes;
    expect(describeConfig(gpt2, { dtype: "q8" }).memory.weightsBytes).toBe(Math.round(fp32 / 4));
    expect(describeConfig(gpt2, { dtype: "q4" }).memory.weightsBytes).toBe(Math.round(fp32 / 8));
  });

  it("encoder-decoder models cache cross-attention over the input and self-attention over the output", () => {
    const t5 = {
      model_type: "t5",
      architectures: ["T5ForConditionalGeneration"],
      vocab_size: 32128,
      d_model: 512,
      d_kv: 64,
      d_ff: 2048,
      num_layers: 6,
      num_heads: 8,
      is_encoder_decoder: true,
    };
    const m = describeConfig(t5, { sequenceLength: 100, outputLength: 20 }).memory;
    const perToken = 2 * 6 * 8 * 64 * 4;
    expect(m.kvCacheBytes).toBe(perToken * 20 + perToken * 100);
    expect(
      describeConfig({ model_type: "bert", hidden_size: 8, vocab_size: 10, num_attention_heads: 2, num_hidden_layers: 1 }).memory
        .kvCacheBytes,
    ).toBe(0);
  });

  it("rejects a batch size that is not a positive integer", () => {
    expect(() => describeConfig(gpt2, { batchSize: 0 })).toThrow(ChooserError);
  });
});
