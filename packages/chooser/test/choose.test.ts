import { describe, expect, it } from "vitest";
import { CANONICAL_TASKS, ChooserError, chooseArchitecture, TASK_TABLE } from "../src/index.js";

describe("chooseArchitecture without constraints", () => {
  for (const task of CANONICAL_TASKS) {
    it(`${task}: the table's family, its default model, and the function that serves it`, () => {
      const row = TASK_TABLE.find((r) => r.task === task);
      const choice = chooseArchitecture(task);
      expect(choice.family).toBe(row?.family);
      expect(choice.best?.model.id).toBe(row?.defaultModel);
      expect(choice.servedBy).toEqual(row?.servedBy);
      expect(choice.models).toHaveLength(row?.models.length ?? -1);
      expect(choice.reasons[0]).toContain(row?.family as string);
      expect(choice.longInput).toBeUndefined();
    });
  }

  it("accepts aliases", () => {
    expect(chooseArchitecture("sentiment-analysis").task).toBe("text-classification");
    expect(chooseArchitecture("ner").best?.model.id).toBe("Xenova/bert-base-NER");
  });
});

describe("languages", () => {
  it("German sentiment picks the multilingual model over the English default", () => {
    const choice = chooseArchitecture("sentiment-analysis", { languages: ["de-CH"] });
    expect(choice.best?.model.id).toBe("Xenova/bert-base-multilingual-uncased-sentiment");
    expect(choice.models.find((m) => m.model.id.includes("sst-2"))?.problems.join()).toMatch(/not trained for "de"/);
  });

  it("Chinese NER picks the ten-language model", () => {
    expect(chooseArchitecture("ner", { languages: ["zh"] }).best?.model.id).toBe("Xenova/bert-base-multilingual-cased-ner-hrl");
  });

  it("a translation task name sets the direction: en->de keeps T5, en->ja needs a many-to-many model", () => {
    expect(chooseArchitecture("translation_en_to_de").best?.model.id).toBe("Xenova/t5-small");
    const ja = chooseArchitecture("translation_en_to_ja");
    expect(ja.best?.model.id).toBe("Xenova/m2m100_418M");
    expect(ja.models.find((m) => m.model.id === "Xenova/opus-mt-en-de")?.fits).toBe(false);
  });

  it("explicit support beats 'likely', and commercialUse drops non-commercial licenses", () => {
    expect(chooseArchitecture("translation", { from: "en", to: "sw" }).best?.model.id).toBe("Xenova/nllb-200-distilled-600M");
    const commercial = chooseArchitecture("translation", { from: "en", to: "sw", commercialUse: true });
    expect(commercial.best?.model.id).toBe("Xenova/m2m100_418M");
    expect(commercial.models.find((m) => m.model.id.includes("nllb"))?.problems.join()).toMatch(/commercial/);
  });
});

describe("memory and latency", () => {
  it("a 1 GB budget keeps Qwen2.5-0.5B for chat by loading it as q8", () => {
    const choice = chooseArchitecture("chat", { memoryBudgetMb: 1024 });
    expect(choice.best?.model.id).toBe("onnx-community/Qwen2.5-0.5B-Instruct");
    expect(choice.best?.dtype).toBe("q8");
    expect(choice.best?.memory.totalBytes).toBeLessThanOrEqual(1024 * 1024 * 1024);
    // Llama 3.2 1B only fits as 4-bit weights.
    expect(choice.models.find((m) => m.model.id.includes("Llama"))?.dtype).toBe("q4");
  });

  it("a 300 MB budget falls back to the smallest chat model", () => {
    const choice = chooseArchitecture("chat", { memoryBudgetMb: 300 });
    expect(choice.best?.model.id).toBe("HuggingFaceTB/SmolLM2-135M-Instruct");
    expect(choice.best?.memory.totalBytes).toBeLessThanOrEqual(300 * 1024 * 1024);
  });

  it("memory grows with the batch: 64 long inputs move the choice to the smaller T5", () => {
    const one = chooseArchitecture("summarization", { memoryBudgetMb: 1200 });
    const many = chooseArchitecture("summarization", { memoryBudgetMb: 1200, batchSize: 64, maxInputTokens: 1024 });
    expect(one.best?.model.id).toBe("Xenova/distilbart-cnn-6-6");
    expect(many.best?.model.id).toBe("Xenova/t5-small");
    expect(many.models.find((m) => m.model.id === "Xenova/distilbart-cnn-6-6")?.fits).toBe(false);
    for (const m of many.models) {
      expect(m.memory.batchSize).toBe(64);
      expect(m.memory.totalBytes).toBeGreaterThan(one.models.find((o) => o.model === m.model)?.memory.totalBytes ?? Infinity);
    }
  });

  it("when nothing fits, it says so and how long an input would fit", () => {
    const choice = chooseArchitecture("chat", { memoryBudgetMb: 50 });
    expect(choice.best).toBeUndefined();
    expect(choice.reasons.join()).toMatch(/No recommended model meets every constraint/);
    const huge = chooseArchitecture("chat", { memoryBudgetMb: 1500, maxInputTokens: 30000 });
    expect(huge.models.find((m) => m.model.id.includes("SmolLM2"))?.problems.join()).toMatch(/fits inputs up to \d+ tokens/);
  });

  it("realtime latency rules out the 0.5B and 1B chat models", () => {
    const choice = chooseArchitecture("chat", { latency: "realtime" });
    expect(choice.best?.model.id).toBe("HuggingFaceTB/SmolLM2-135M-Instruct");
    expect(choice.models.filter((m) => !m.fits).map((m) => m.model.id)).toEqual(
      expect.arrayContaining(["onnx-community/Qwen2.5-0.5B-Instruct", "onnx-community/Llama-3.2-1B-Instruct"]),
    );
  });
});

describe("long inputs", () => {
  it("classification past the window: windows with stride, and how many", () => {
    const { longInput } = chooseArchitecture("text-classification", { maxInputTokens: 2000 });
    expect(longInput).toMatchObject({ strategy: "window", windowTokens: 512, pieces: 5, options: { truncation: "window", stride: 128 } });
  });

  it("NER and QA window automatically; QA uses 384-token windows with a 128 stride", () => {
    expect(chooseArchitecture("ner", { maxInputTokens: 1000 }).longInput?.strategy).toBe("window");
    expect(chooseArchitecture("question-answering", { maxInputTokens: 2000 }).longInput).toMatchObject({
      windowTokens: 384,
      pieces: 8,
      options: { maxSeqLength: 384, docStride: 128 },
    });
  });

  it("summarization past the window is chunked", () => {
    const choice = chooseArchitecture("summarization", { maxInputTokens: 5000 });
    expect(choice.longInput?.strategy).toBe("chunk");
    expect(choice.longInput?.pieces).toBeGreaterThanOrEqual(5);
    expect(choice.reasons.join(" ")).toMatch(/sentence boundaries/);
  });

  it("generation prefers a long-context model that holds the input, else truncation", () => {
    const free = chooseArchitecture("text-generation", { maxInputTokens: 50_000 });
    expect(free.best?.model.id).toBe("onnx-community/Llama-3.2-1B-Instruct");
    expect(free.best?.coversInput).toBe(true);
    expect(free.longInput).toBeUndefined();
    const fast = chooseArchitecture("text-generation", { maxInputTokens: 50_000, latency: "realtime" });
    expect(fast.best?.coversInput).toBe(false);
    expect(fast.longInput).toMatchObject({ strategy: "truncate-prompt", options: { truncatePrompt: "left" } });
    expect(fast.longInput?.longContextModels).toContain("onnx-community/Llama-3.2-1B-Instruct");
  });
});

describe("invalid input", () => {
  it("unknown tasks and bad constraints are ChooserErrors with codes", () => {
    expect(() => chooseArchitecture("sentiment")).toThrow(expect.objectContaining({ code: "UNKNOWN_TASK" }));
    for (const bad of [
      { maxInputTokens: 0 },
      { memoryBudgetMb: -5 },
      { latency: "fast" },
      { languages: "de" },
      { dtype: "int3" },
      { batchSize: 1.5 },
    ]) {
      expect(() => chooseArchitecture("ner", bad as never), JSON.stringify(bad)).toThrow(ChooserError);
    }
  });
});
