import { describe, expectTypeOf, it } from "vitest";
import {
  type createSummarizer,
  type createTranslator,
  type Summary,
  summarize,
  type TextStream,
  type Translation,
  translate,
  text2text,
  text2textStream,
  translateStream,
  type GenerationResult,
} from "../src/index.js";

describe("the seq2seq API types", () => {
  it("follow the input: one text -> one result, an array -> an array", () => {
    expectTypeOf(translate("Hello", { to: "de" })).toEqualTypeOf<Promise<Translation>>();
    expectTypeOf(translate(["a", "b"], { to: "de" })).toEqualTypeOf<Promise<Translation[]>>();
    expectTypeOf(summarize("text")).toEqualTypeOf<Promise<Summary>>();
    expectTypeOf(summarize(["a"], { chunking: false })).toEqualTypeOf<Promise<Summary[]>>();
    expectTypeOf(translateStream("Hello")).toEqualTypeOf<TextStream<Translation>>();
  });

  it("give handles the same overloads, with typed options", () => {
    const translator = {} as Awaited<ReturnType<typeof createTranslator>>;
    expectTypeOf(translator.translate("x")).toEqualTypeOf<Promise<Translation>>();
    expectTypeOf(translator.translate(["x"], { numBeams: 4, lengthPenalty: 1.2 })).toEqualTypeOf<Promise<Translation[]>>();
    const summarizer = {} as Awaited<ReturnType<typeof createSummarizer>>;
    expectTypeOf(summarizer.summarize("x", { onChunk: (e) => e.summary })).toEqualTypeOf<Promise<Summary>>();
    expectTypeOf<Summary["chunks"]>().toEqualTypeOf<number>();
  });

  it("text2text follows the input too, with core's result and stream", () => {
    expectTypeOf(text2text("Hello")).toEqualTypeOf<Promise<GenerationResult>>();
    expectTypeOf(text2text(["a", "b"], { numBeams: 2 })).toEqualTypeOf<Promise<GenerationResult[]>>();
    expectTypeOf(text2textStream("Hello")).toEqualTypeOf<TextStream<GenerationResult>>();
    expectTypeOf<Translation>().toMatchTypeOf<GenerationResult>();
  });

  it("refuse wrong options", () => {
    const summarizer = {} as Awaited<ReturnType<typeof createSummarizer>>;
    // @ts-expect-error numBeams is a number
    translate("x", { numBeams: "4" });
    // @ts-expect-error a summarizer is not a translator
    translate("x", { model: summarizer });
    // @ts-expect-error unknown option
    summarize("x", { chunk: true });
    // @ts-expect-error load options go under load
    translate("x", { threads: 1 });
  });
});
