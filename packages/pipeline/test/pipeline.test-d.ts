import type { CanonicalTask } from "@proj/chooser";
import type { GenerationMetrics } from "@proj/core";
import type { GenerationResult } from "@proj/decoder";
import type { Answer, BiasReport, Classification, Entity, FillMaskPrediction } from "@proj/encoder";
import type { Summary, TextStream, Translation } from "@proj/seq2seq";
import { describe, expectTypeOf, it } from "vitest";
import {
  type AnyPipeline,
  type BiasAuditPipeline,
  type ChatPipeline,
  type FillMaskPipeline,
  type GeneratedAnswer,
  type GenerativeQAPipeline,
  pipeline,
  type PipelineTaskMap,
  type QuestionAnsweringPipeline,
  type SummarizationPipeline,
  type TaskName,
  type TextClassificationPipeline,
  type TextGenerationPipeline,
  type TokenClassificationPipeline,
  type TranslationPipeline,
} from "../src/index.js";

declare const classify: TextClassificationPipeline;
declare const ner: TokenClassificationPipeline;
declare const qa: QuestionAnsweringPipeline;
declare const unmask: FillMaskPipeline;
declare const audit: BiasAuditPipeline;
declare const generate: TextGenerationPipeline;
declare const chat: ChatPipeline;
declare const ask: GenerativeQAPipeline;
declare const translate: TranslationPipeline;
declare const summarize: SummarizationPipeline;
const question = { question: "Where?", context: "In Paris." };

describe("pipeline(task) returns the task's pipeline type", () => {
  it("for canonical names", () => {
    expectTypeOf(pipeline("text-classification")).resolves.toEqualTypeOf<TextClassificationPipeline>();
    expectTypeOf(pipeline("token-classification")).resolves.toEqualTypeOf<TokenClassificationPipeline>();
    expectTypeOf(pipeline("question-answering")).resolves.toEqualTypeOf<QuestionAnsweringPipeline>();
    expectTypeOf(pipeline("fill-mask")).resolves.toEqualTypeOf<FillMaskPipeline>();
    expectTypeOf(pipeline("bias-audit")).resolves.toEqualTypeOf<BiasAuditPipeline>();
    expectTypeOf(pipeline("text-generation")).resolves.toEqualTypeOf<TextGenerationPipeline>();
    expectTypeOf(pipeline("chat")).resolves.toEqualTypeOf<ChatPipeline>();
    expectTypeOf(pipeline("generative-qa")).resolves.toEqualTypeOf<GenerativeQAPipeline>();
    expectTypeOf(pipeline("translation")).resolves.toEqualTypeOf<TranslationPipeline>();
    expectTypeOf(pipeline("summarization")).resolves.toEqualTypeOf<SummarizationPipeline>();
  });

  it("for the aliases people type", () => {
    expectTypeOf(pipeline("sentiment-analysis")).resolves.toEqualTypeOf<TextClassificationPipeline>();
    expectTypeOf(pipeline("ner")).resolves.toEqualTypeOf<TokenClassificationPipeline>();
    expectTypeOf(pipeline("qa")).resolves.toEqualTypeOf<QuestionAnsweringPipeline>();
    expectTypeOf(pipeline("conversational")).resolves.toEqualTypeOf<ChatPipeline>();
    expectTypeOf(pipeline("translation_en_to_de")).resolves.toEqualTypeOf<TranslationPipeline>();
    expectTypeOf(pipeline("translation_fr_to_en", { model: "Xenova/opus-mt-fr-en" })).resolves.toEqualTypeOf<TranslationPipeline>();
  });

  it("a name known only at run time gives the union", () => {
    const name = "ner" as TaskName;
    expectTypeOf(pipeline(name)).resolves.toEqualTypeOf<AnyPipeline>();
  });

  it("every canonical task of the chooser's table has a pipeline type, and no other", () => {
    expectTypeOf<keyof PipelineTaskMap>().toEqualTypeOf<CanonicalTask>();
  });

  it("unknown task names and malformed options do not compile", () => {
    // @ts-expect-error not a task
    pipeline("sentiment");
    // @ts-expect-error a translation name needs both languages
    pipeline("translation_en");
    // @ts-expect-error the model is a folder or a Hub id
    pipeline("ner", { model: 42 });
    // @ts-expect-error only translation pipelines take a language pair
    pipeline("ner", { to: "de" });
  });
});

describe("outputs are narrow and follow the input", () => {
  it("classification, NER and fill-mask: one text -> a list, many -> a list per text", () => {
    expectTypeOf(classify("x")).resolves.toEqualTypeOf<Classification[]>();
    expectTypeOf(classify(["x", "y"], { topK: null })).resolves.toEqualTypeOf<Classification[][]>();
    expectTypeOf(ner("x")).resolves.toEqualTypeOf<Entity[]>();
    expectTypeOf(ner(["x"])).resolves.toEqualTypeOf<Entity[][]>();
    expectTypeOf(unmask("x [MASK]")).resolves.toEqualTypeOf<FillMaskPrediction[]>();
    expectTypeOf(unmask(["x [MASK]"])).resolves.toEqualTypeOf<FillMaskPrediction[][]>();
    expectTypeOf(unmask.maskToken).toEqualTypeOf<string>();
  });

  it("extractive QA: one answer, or topK answers", () => {
    expectTypeOf(qa(question)).resolves.toEqualTypeOf<Answer>();
    expectTypeOf(qa(question, { topK: 3 })).resolves.toEqualTypeOf<Answer[]>();
    expectTypeOf(qa([question])).resolves.toEqualTypeOf<Answer[]>();
    expectTypeOf(qa([question], { topK: 2 })).resolves.toEqualTypeOf<Answer[][]>();
  });

  it("generation, chat and seq2seq: results with metrics, and streams", () => {
    expectTypeOf(generate("Once")).resolves.toEqualTypeOf<GenerationResult>();
    expectTypeOf(generate(["a", "b"])).resolves.toEqualTypeOf<GenerationResult[]>();
    expectTypeOf(generate.stream("Once")).toEqualTypeOf<TextStream<GenerationResult>>();
    expectTypeOf(chat([{ role: "user", content: "Hi" }])).resolves.toEqualTypeOf<GenerationResult>();
    expectTypeOf(ask(question)).resolves.toEqualTypeOf<GeneratedAnswer>();
    expectTypeOf(ask({ question: "closed book?" }))
      .resolves.toHaveProperty("metrics")
      .toEqualTypeOf<GenerationMetrics>();
    expectTypeOf(translate("Hello")).resolves.toEqualTypeOf<Translation>();
    expectTypeOf(translate(["Hello"], { to: "fr" })).resolves.toEqualTypeOf<Translation[]>();
    expectTypeOf(translate.stream("Hello")).toEqualTypeOf<TextStream<Translation>>();
    expectTypeOf(summarize("long text")).resolves.toEqualTypeOf<Summary>();
    expectTypeOf(summarize(["a", "b"])).resolves.toEqualTypeOf<Summary[]>();
    expectTypeOf(audit()).resolves.toEqualTypeOf<BiasReport>();
  });
});

describe("wrong inputs do not compile", () => {
  it("text pipelines take text", () => {
    // @ts-expect-error a number is not text
    classify(42);
    // @ts-expect-error a question object is not text
    ner(question);
    // @ts-expect-error fill-mask takes text
    unmask({ text: "x" });
    // @ts-expect-error summarization takes text
    summarize(undefined);
    // @ts-expect-error translation takes text
    translate([1, 2]);
  });

  it("QA takes { question, context }, chat takes messages", () => {
    // @ts-expect-error extractive QA needs a context
    qa({ question: "Where?" });
    // @ts-expect-error not a question object
    qa("Where is it?");
    // @ts-expect-error generative QA needs a question
    ask({ context: "text" });
    // @ts-expect-error chat takes messages, not text
    chat("Hi");
    // @ts-expect-error a message has a role and content
    chat([{ text: "Hi" }]);
  });

  it("options are checked per task", () => {
    // @ts-expect-error classification has no aggregation
    classify("x", { aggregation: "simple" });
    // @ts-expect-error aggregation is one of a few strategies
    ner("x", { aggregation: "everything" });
    // @ts-expect-error decoding options are numbers
    generate("x", { maxNewTokens: "10" });
    // @ts-expect-error topK of a classifier is a number or null
    classify("x", { topK: "all" });
  });
});
