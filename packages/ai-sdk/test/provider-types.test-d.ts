import type { ProviderV3 } from "@ai-sdk/provider";
import { createProj, type ProjProvider, proj } from "@proj/ai-sdk";
import type { EmbeddingModel, LanguageModel, RerankingModel } from "ai";
import { describe, expectTypeOf, it } from "vitest";

describe("the provider's types", () => {
  it("is an AI SDK provider whose models the ai package's functions take", () => {
    expectTypeOf(proj).toExtend<ProviderV3>();
    expectTypeOf(createProj({ load: { threads: 2 } })).toEqualTypeOf<ProjProvider>();
    expectTypeOf(proj("./models/gpt2")).toExtend<LanguageModel>();
    expectTypeOf(proj.languageModel("./models/gpt2", { mode: "chat" })).toExtend<LanguageModel>();
    expectTypeOf(proj.embeddingModel("./models/minilm")).toExtend<EmbeddingModel>();
    expectTypeOf(proj.rerankingModel("./models/reranker")).toExtend<RerankingModel>();
  });

  it("refuses settings it does not have", () => {
    // @ts-expect-error mode is "auto" | "chat" | "completion"
    proj("./models/gpt2", { mode: "instruct" });
    // @ts-expect-error threads is a load option: { load: { threads } }
    createProj({ threads: 2 });
  });
});
