import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbortError, DisposedError, InputError, OfflineError, ProjError } from "@proj/core";
import { fixture } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import {
  answer,
  auditBias,
  classify,
  createClassifier,
  createFillMask,
  createQuestionAnswerer,
  createTokenClassifier,
  DEFAULT_CLASSIFY_MODEL,
  disposeCachedHandles,
  fillMask,
  ner,
} from "../src/index.js";

afterAll(() => disposeCachedHandles());

/** The error a promise rejects with (or a marker when it resolves). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return error;
  }
}

async function expectInputError(promise: Promise<unknown>, message?: RegExp): Promise<InputError> {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(InputError);
  expect((error as ProjError).code).toBe("INPUT");
  if (message) expect((error as Error).message).toMatch(message);
  return error as InputError;
}

const cls = { model: fixture("bert-seq-cls") };
const tok = { model: fixture("bert-token-cls") };
const mlm = { model: fixture("bert-mlm") };
const qa = { model: fixture("bert-qa") };
const untyped = (v: unknown) => v as string;

describe("bad text input is a typed InputError", () => {
  const calls: Array<[string, (input: unknown) => Promise<unknown>]> = [
    ["classify", (x) => classify(untyped(x), cls)],
    ["ner", (x) => ner(untyped(x), tok)],
    ["fillMask", (x) => fillMask(untyped(x), mlm)],
  ];
  for (const [name, call] of calls) {
    it(`${name}: empty string, whitespace, empty array, non-strings`, async () => {
      await expectInputError(call(""), /empty string/);
      await expectInputError(call(" \n\t "), /only whitespace/);
      await expectInputError(call([]), /empty array/);
      await expectInputError(call(42), /string or an array of strings, got a number/);
      await expectInputError(call(null), /got null/);
      await expectInputError(call(undefined), /got undefined/);
      await expectInputError(call({ text: "hi" }), /got an object/);
      await expectInputError(call(["fine", 7]), /texts\[1\]/);
      await expectInputError(call(["fine", "  "]), /texts\[1\]/);
    });
  }

  it("answer: missing or empty question or context, non-objects, empty array", async () => {
    await expectInputError(answer({ question: "", context: "text" }, qa), /question/);
    await expectInputError(answer({ question: "why", context: "   " }, qa), /context/);
    await expectInputError(answer({ question: "why" } as never, qa), /context/);
    await expectInputError(answer("why?" as never, qa), /\{ question, context \}/);
    await expectInputError(answer([], qa), /empty array/);
    await expectInputError(answer([{ question: "a", context: "b" }, null] as never, qa), /index 1/);
  });

  it("inputs are checked before any model is loaded (no download for a bad call)", async () => {
    await expectInputError(classify(""));
    await expectInputError(ner([]));
    await expectInputError(answer({ question: "", context: "x" }));
    await expectInputError(fillMask("   "));
  });
});

describe("options out of range are InputErrors", () => {
  it("topK: zero, negative, fractional, NaN, a string", async () => {
    for (const topK of [0, -1, 1.5, Number.NaN, "3"]) {
      await expectInputError(classify("fine", { ...cls, topK: topK as number }), /topK/);
      await expectInputError(fillMask("I [MASK] it.", { ...mlm, topK: topK as number }), /topK/);
      await expectInputError(answer({ question: "q", context: "c" }, { ...qa, topK: topK as number }), /topK/);
    }
    await expectInputError(fillMask("I [MASK] it.", { ...mlm, topK: null as unknown as number }), /topK/);
  });

  it("a topK larger than the labels returns all labels (as the Hugging Face pipeline)", async () => {
    expect(await classify("fine", { ...cls, topK: 50 })).toHaveLength(2);
  });

  it("other options: aggregation, ignoreLabels, batchSize, maxLength, stride, maxAnswerLength, functionToApply", async () => {
    await expectInputError(ner("Paris", { ...tok, aggregation: "mean" as never }), /aggregation must be one of/);
    await expectInputError(ner("Paris", { ...tok, ignoreLabels: "O" as never }), /ignoreLabels/);
    await expectInputError(classify("fine", { ...cls, batchSize: 0 }), /batchSize/);
    await expectInputError(classify("fine", { ...cls, maxLength: 4096 }), /at most 512/);
    await expectInputError(ner("fine", { ...tok, maxLength: 32, stride: 32 }), /stride/);
    await expectInputError(answer({ question: "q", context: "c" }, { ...qa, maxAnswerLength: 0 }), /maxAnswerLength/);
    await expectInputError(classify("fine", { ...cls, functionToApply: "relu" as never }), /functionToApply/);
    await expectInputError(classify("fine", { ...cls, truncation: "middle" as never }), /truncation/);
  });
});

describe("unknown options are refused, naming the nearest known one (bug 12)", () => {
  const loose = <T>(options: Record<string, unknown>) => options as T;

  it("a misspelt option: topk -> topK, agregation -> aggregation, max_answer_len -> maxAnswerLength ...", async () => {
    const topk = await expectInputError(classify("fine", loose({ ...cls, topk: 2 })), /classify\(\) has no option "topk"/);
    expect(topk.hint).toMatch(/did you mean "topK"/);
    expect((await expectInputError(ner("Paris", loose({ ...tok, agregation: "simple" })), /"agregation"/)).hint).toMatch(/"aggregation"/);
    const snake = await expectInputError(answer({ question: "q", context: "c" }, loose({ ...qa, max_answer_len: 3 })), /"max_answer_len"/);
    expect(snake.hint).toMatch(/"maxAnswerLength"/);
    expect((await expectInputError(fillMask("I [MASK] it.", loose({ ...mlm, target: ["love"] })), /"target"/)).hint).toMatch(/"targets"/);
    expect((await expectInputError(auditBias(loose({ ...mlm, group: {} })), /auditBias\(\) has no option "group"/)).hint).toMatch(
      /"groups"/,
    );
  });

  it("a load option at the top level is refused with a hint to put it under load", async () => {
    const error = await expectInputError(classify("x", loose({ threads: 2 })), /classify\(\) has no option "threads"/);
    expect(error.hint).toMatch(/load: \{ threads: 2 \}/);
    expect((await expectInputError(createClassifier(cls.model, loose({ dtype: "q8" })), /"dtype"/)).hint).toMatch(
      /load: \{ dtype: "q8" \}/,
    );
    expect((await expectInputError(ner("Paris", loose({ ...tok, hub: { offline: true } })), /"hub"/)).hint).toMatch(
      /load: \{ hub: \.\.\. \}/,
    );
  });

  it("load options are checked too: unknown names, device gpu, bad thread counts", async () => {
    await expectInputError(
      classify("x", { ...cls, load: { device: "gpu" as never } }),
      /device must be "cpu", "cuda" or "auto", got "gpu"/,
    );
    await expectInputError(createTokenClassifier(tok.model, { load: { device: "gpu" as never } }), /device/);
    const typo = await expectInputError(classify("x", { ...cls, load: loose({ thread: 2 }) }), /has no option "thread"/);
    expect(typo.hint).toMatch(/"threads"/);
    await expectInputError(fillMask("I [MASK] it.", { ...mlm, load: { threads: 0 } }), /threads must be a positive integer/);
  });

  it("handles refuse unknown options, and load options that belong to create*()", async () => {
    const classifier = await createClassifier(cls.model);
    try {
      expect((await expectInputError(classifier.classify("x", loose({ topk: 1 })), /"topk"/)).hint).toMatch(/"topK"/);
      const misplaced = await expectInputError(classifier.classify("x", loose({ threads: 1 })), /"threads"/);
      expect(misplaced.hint).toMatch(/when the handle is created/);
      await expectInputError(classifier.classify("x", loose({ model: cls.model })), /has no option "model"/);
    } finally {
      await classifier.dispose();
    }
  });

  it("options that are not an object are refused", async () => {
    await expectInputError(classify("x", null as never), /options to be an object, got null/);
    await expectInputError(createFillMask(mlm.model, [] as never), /options to be an object, got an array/);
  });
});

describe("calls that cannot run", () => {
  it("a question that leaves no room for the context in a window is an InputError with a way out", async () => {
    const question = "why ".repeat(40);
    const error = await expectInputError(
      answer({ question, context: "because" }, { ...qa, maxSeqLength: 32, docStride: 8 }),
      /windows of 32 tokens with docStride 8/,
    );
    expect(error.hint).toMatch(/raise maxSeqLength/);
  });

  it("an aborted signal stops the call with AbortError", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(classify("fine", { ...cls, signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    await expect(ner("Paris", { ...tok, signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });
});

describe("models of the wrong family or head", () => {
  it("a decoder given to classify names its family and what to use", async () => {
    const error = await expectInputError(classify("fine", { model: fixture("gpt2") }), /decoder model \(model_type "gpt2"\)/);
    expect(error.message).toMatch(/classify\(\) needs an encoder/);
    expect(error.hint).toMatch(/@proj\/decoder/);
  });

  it("encoder-decoders and decoders are refused by every task", async () => {
    await expectInputError(ner("Paris", { model: fixture("t5") }), /encoder-decoder model/);
    await expectInputError(answer({ question: "q", context: "c" }, { model: fixture("bart") }), /encoder-decoder model/);
    await expectInputError(fillMask("a [MASK]", { model: fixture("llama") }), /decoder model/);
    await expectInputError(createClassifier(fixture("llama")), /decoder/);
  });

  it("an encoder with another task's head says which task it fits", async () => {
    await expectInputError(classify("fine", mlm), /rank 3.*fill-mask.*fillMask\(\)/);
    await expectInputError(classify("fine", tok), /token classification: use ner\(\)/);
    await expectInputError(answer({ question: "q", context: "c" }, cls), /no output "start_logits".*text classification: use classify\(\)/);
    await expectInputError(ner("Paris", qa), /question answering: use answer\(\)/);
    await expectInputError(fillMask("a [MASK]", tok), /masked-LM head/);
    await expectInputError(createTokenClassifier(fixture("bert-seq-cls")), /rank 2/);
    // A masked LM has ner()'s output name and rank: its vocabulary-wide head is what gives it away.
    const masked = await expectInputError(ner("Paris", mlm), /one logit per vocabulary token \(30522\): it is a masked language model/);
    expect(masked.hint).toMatch(/fillMask\(\)/);
  });

  it("a model folder that does not exist is ModelNotFoundError, not a crash", async () => {
    const error = await failure(classify("fine", { model: "./no/such/model" }));
    expect(error).toBeInstanceOf(ProjError);
    expect((error as ProjError).code).toBe("MODEL_NOT_FOUND");
  });
});

describe("handles", () => {
  it("a disposed handle is a DisposedError", async () => {
    const classifier = await createClassifier(cls.model);
    await classifier.dispose();
    expect(classifier.disposed).toBe(true);
    await expect(classifier.classify("fine")).rejects.toBeInstanceOf(DisposedError);
    await expect(classify("fine", { model: classifier })).rejects.toBeInstanceOf(DisposedError);
  });

  it("a handle given to another task's function is an InputError", async () => {
    const recognizer = await createTokenClassifier(tok.model);
    await expectInputError(classify("fine", { model: recognizer as never }), /handle made for ner\(\)/);
    await recognizer.dispose();
    await expectInputError(classify("fine", { model: 42 as never }), /folder path, a Hub id or a handle/);
    await expectInputError(createQuestionAnswerer(""), /empty string/);
    await expectInputError(createFillMask(42 as never), /model folder or Hub id/);
  });
});

describe("default models", () => {
  it("offline without a cached copy, the Hub model (the fallback default) fails with OfflineError naming it", async () => {
    const cache = mkdtempSync(join(tmpdir(), "proj-encoder-empty-cache-"));
    try {
      const error = await failure(classify("fine", { model: DEFAULT_CLASSIFY_MODEL, load: { hub: { offline: true, cacheDir: cache } } }));
      expect(error).toBeInstanceOf(OfflineError);
      expect((error as Error).message).toContain(DEFAULT_CLASSIFY_MODEL);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
