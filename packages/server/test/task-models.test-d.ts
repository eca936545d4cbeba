import type { Classifier, Embedder, FillMasker, Reranker, ZeroShotClassifier } from "@proj/encoder";
import type { Translator } from "@proj/seq2seq";
import { describe, expectTypeOf, it } from "vitest";
import type { ServedTask, TaskModels } from "../src/index.js";

describe("TaskModels is keyed by the chooser's task names", () => {
  it("takes each task's canonical name and aliases, with that task's handle", () => {
    expectTypeOf<{ classify: string; "sentiment-analysis": Classifier; "fill-mask": FillMasker; qa: string }>().toExtend<TaskModels>();
    expectTypeOf<{ translation: Translator; summarize: string; ner: string; "token-classification": string }>().toExtend<TaskModels>();
    expectTypeOf<{ embed: Embedder; rerank: Reranker; "zero-shot": ZeroShotClassifier }>().toExtend<TaskModels>();
    expectTypeOf<{ embeddings: string; "text-ranking": string; "zero-shot-classification": string }>().toExtend<TaskModels>();
    expectTypeOf<{ "feature-extraction": string }>().toExtend<TaskModels>();
  });

  it("takes the feature-extraction model under sentence-similarity, which it serves", () => {
    expectTypeOf<{ "sentence-similarity": Embedder }>().toExtend<TaskModels>();
    expectTypeOf<{ "sentence-similarity": Reranker }>().not.toExtend<TaskModels>();
  });

  it("refuses a name that is not the chooser's (fillMask), a handle of another task, and generation", () => {
    expectTypeOf<{ fillMask: string }>().not.toExtend<TaskModels>();
    expectTypeOf<{ classify: FillMasker }>().not.toExtend<TaskModels>();
    expectTypeOf<{ embed: Reranker }>().not.toExtend<TaskModels>();
    expectTypeOf<{ rerank: ZeroShotClassifier }>().not.toExtend<TaskModels>();
    expectTypeOf<TaskModels>().not.toHaveProperty("generate");
    expectTypeOf<TaskModels>().not.toHaveProperty("chat");
  });

  it("reports models under the short names, each a chooser name", () => {
    expectTypeOf<ServedTask>().toEqualTypeOf<
      "generate" | "classify" | "ner" | "answer" | "fill-mask" | "translate" | "summarize" | "embed" | "rerank" | "zero-shot"
    >();
  });
});
