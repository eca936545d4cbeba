import { expectTypeOf } from "vitest";
import {
  type createSummarizer,
  type createTranslator,
  type Summary,
  summarize,
  type TextStream,
  type Translation,
  translate,
  translateStream,
} from "../src/index.js";

// The result type follows the input: one text -> one result, an array -> an array.
expectTypeOf(translate("Hello", { to: "de" })).toEqualTypeOf<Promise<Translation>>();
expectTypeOf(translate(["a", "b"], { to: "de" })).toEqualTypeOf<Promise<Translation[]>>();
expectTypeOf(summarize("text")).toEqualTypeOf<Promise<Summary>>();
expectTypeOf(summarize(["a"], { chunking: false })).toEqualTypeOf<Promise<Summary[]>>();
expectTypeOf(translateStream("Hello")).toEqualTypeOf<TextStream<Translation>>();

// Handles have the same overloads, and options are typed.
declare const translator: Awaited<ReturnType<typeof createTranslator>>;
expectTypeOf(translator.translate("x")).toEqualTypeOf<Promise<Translation>>();
expectTypeOf(translator.translate(["x"], { numBeams: 4, lengthPenalty: 1.2 })).toEqualTypeOf<Promise<Translation[]>>();
declare const summarizer: Awaited<ReturnType<typeof createSummarizer>>;
expectTypeOf(summarizer.summarize("x", { onChunk: (e) => e.summary })).toEqualTypeOf<Promise<Summary>>();
expectTypeOf<Summary["chunks"]>().toEqualTypeOf<number>();

// @ts-expect-error numBeams is a number
translate("x", { numBeams: "4" });
// @ts-expect-error a summarizer is not a translator
translate("x", { model: summarizer });
// @ts-expect-error unknown option
summarize("x", { chunk: true });
