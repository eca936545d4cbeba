import { describe, expectTypeOf, it } from "vitest";
import {
  type Answer,
  answer,
  type Classification,
  type Classifier,
  classify,
  createClassifier,
  type Entity,
  type FillMaskPrediction,
  fillMask,
  ner,
  type QuestionAnswerer,
} from "../src/index.js";

describe("the result type follows the input", () => {
  it("one text gives one list, many texts a list per text", () => {
    expectTypeOf(classify("x")).resolves.toEqualTypeOf<Classification[]>();
    expectTypeOf(classify(["x", "y"])).resolves.toEqualTypeOf<Classification[][]>();
    expectTypeOf(ner("x")).resolves.toEqualTypeOf<Entity[]>();
    expectTypeOf(ner(["x"])).resolves.toEqualTypeOf<Entity[][]>();
    expectTypeOf(fillMask("x [MASK]")).resolves.toEqualTypeOf<FillMaskPrediction[]>();
    expectTypeOf(fillMask(["x [MASK]"])).resolves.toEqualTypeOf<FillMaskPrediction[][]>();
  });

  it("answer: one answer by default, an array with topK, one per question for many", () => {
    const q = { question: "q", context: "c" };
    expectTypeOf(answer(q)).resolves.toEqualTypeOf<Answer>();
    expectTypeOf(answer(q, { topK: 1 })).resolves.toEqualTypeOf<Answer>();
    expectTypeOf(answer(q, { topK: 3 })).resolves.toEqualTypeOf<Answer[]>();
    expectTypeOf(answer([q])).resolves.toEqualTypeOf<Answer[]>();
    expectTypeOf(answer([q], { topK: 3 })).resolves.toEqualTypeOf<Answer[][]>();
  });

  it("handles have the same overloads", () => {
    expectTypeOf<Classifier["classify"]>().toBeCallableWith("x");
    expectTypeOf<ReturnType<QuestionAnswerer["answer"]>>().toEqualTypeOf<Promise<Answer[][]>>();
  });

  it("model accepts a path, a Hub id or the task's handle, not another task's", () => {
    expectTypeOf(classify).toBeCallableWith("x", { model: "./models/sst2" });
    expectTypeOf(classify).toBeCallableWith("x", { model: {} as Classifier });
    // @ts-expect-error a question answerer is not a classifier
    classify("x", { model: {} as QuestionAnswerer });
    // @ts-expect-error texts are strings
    classify(42);
    // @ts-expect-error aggregation strategies are a closed set
    ner("x", { aggregation: "mean" });
    expectTypeOf(ner).toBeCallableWith("x", { aggregation: "first", decoding: "constrained", tagScheme: "IOB1" });
    // @ts-expect-error decodings are a closed set
    ner("x", { decoding: "viterbi" });
    // @ts-expect-error tag schemes are a closed set
    ner("x", { decoding: "constrained", tagScheme: "BILOU" });
  });

  it("one option shape: load options under load, factories take an optional model", () => {
    expectTypeOf(classify).toBeCallableWith("x", { load: { threads: 2, dtype: "q8" }, topK: 2 });
    expectTypeOf(createClassifier).toBeCallableWith();
    expectTypeOf(createClassifier).toBeCallableWith("./models/sst2", { load: { threads: 2 }, signal: AbortSignal.timeout(1000) });
    // @ts-expect-error load options go under load
    classify("x", { threads: 2 });
    // @ts-expect-error factories take load options under load too
    void createClassifier("./models/sst2", { threads: 2 });
  });
});
