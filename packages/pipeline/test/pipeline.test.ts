import { CANONICAL_TASKS, resolveTask, TASK_ALIASES, TASK_TABLE, taskRow } from "@proj/chooser";
import { AbortError, DisposedError, InputError, ModelNotFoundError } from "@proj/core";
import * as decoder from "@proj/decoder";
import * as encoder from "@proj/encoder";
import * as seq2seq from "@proj/seq2seq";
import { fixture } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { type AnyPipeline, defaultModelFor, pipeline } from "../src/index.js";
import { FACTORIES } from "../src/registry.js";

const load = { threads: 1 };
const open: AnyPipeline[] = [];
async function keep<P extends AnyPipeline>(p: Promise<P>): Promise<P> {
  const made = await p;
  open.push(made);
  return made;
}
afterAll(async () => {
  await Promise.all(open.map((p) => p.dispose()));
  await Promise.all([encoder.disposeCachedHandles(), decoder.disposeCachedHandles(), seq2seq.disposeCachedHandles()]);
});

/** What a promise rejects with (errors are recognised with `isInstance`, which also knows a second copy of core). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** What a call throws synchronously. */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

describe("dispatch through the chooser's table", () => {
  it("has one factory per canonical task", () => {
    expect(Object.keys(FACTORIES).sort()).toEqual([...CANONICAL_TASKS].sort());
  });

  it("every row names a package function and handle that exist", () => {
    const packages: Record<string, Record<string, unknown>> = {
      "@proj/encoder": encoder,
      "@proj/decoder": decoder,
      "@proj/seq2seq": seq2seq,
    };
    for (const row of TASK_TABLE) {
      expect(typeof packages[row.servedBy.package]?.[row.servedBy.function], `${row.task}: ${row.servedBy.function}`).toBe("function");
      expect(typeof packages[row.servedBy.package]?.[row.servedBy.handle], `${row.task}: ${row.servedBy.handle}`).toBe("function");
    }
  });

  it("the chooser's default models are the task packages' defaults", () => {
    expect(taskRow("text-classification").defaultModel).toBe(encoder.DEFAULT_CLASSIFY_MODEL);
    expect(taskRow("token-classification").defaultModel).toBe(encoder.DEFAULT_NER_MODEL);
    expect(taskRow("question-answering").defaultModel).toBe(encoder.DEFAULT_QA_MODEL);
    expect(taskRow("fill-mask").defaultModel).toBe(encoder.DEFAULT_FILL_MASK_MODEL);
    expect(taskRow("bias-audit").defaultModel).toBe(encoder.DEFAULT_FILL_MASK_MODEL);
    expect(taskRow("text-generation").defaultModel).toBe(decoder.DEFAULT_GENERATION_MODEL);
    expect(taskRow("chat").defaultModel).toBe(decoder.DEFAULT_CHAT_MODEL);
    expect(taskRow("translation").defaultModel).toBe(seq2seq.DEFAULT_TRANSLATION_MODEL);
    expect(taskRow("summarization").defaultModel).toBe(seq2seq.DEFAULT_SUMMARIZATION_MODEL);
  });

  it("without a model, a task uses its embedded model when installed, else the Hub default; other language pairs skip the en->de one", () => {
    for (const row of TASK_TABLE) {
      const chosen = defaultModelFor(row, resolveTask(row.task), {});
      expect([row.defaultModel, expect.stringContaining(`models/${row.embeddedModel}`)]).toContainEqual(chosen);
    }
    expect(defaultModelFor(taskRow("translation"), resolveTask("translation_en_to_fr"), {})).toBe(seq2seq.DEFAULT_TRANSLATION_MODEL);
  });
});

/** A fixture for each canonical task. */
const FIXTURE_OF = {
  "text-classification": "bert-seq-cls",
  "token-classification": "bert-token-cls",
  "question-answering": "bert-qa",
  "fill-mask": "bert-mlm",
  "bias-audit": "bert-mlm",
  "text-generation": "gpt2",
  chat: "llama",
  "generative-qa": "t5",
  translation: "t5",
  summarization: "bart",
  "feature-extraction": "bert-embed",
  "sentence-similarity": "bert-embed",
  "text-ranking": "bert-cross-encoder",
  "zero-shot-classification": "bert-nli",
} as const;

describe("task names are the chooser's", () => {
  it("every canonical task and every alias gives the pipeline of its task", async () => {
    const names = [...CANONICAL_TASKS, ...Object.keys(TASK_ALIASES), "translation_en_to_de"];
    for (const name of names) {
      const task = resolveTask(name).task;
      const p = await pipeline(name as "ner", { model: fixture(FIXTURE_OF[task]), load });
      try {
        expect({ name, task: p.task, requested: p.requested }).toEqual({ name, task, requested: name });
      } finally {
        await p.dispose();
      }
    }
  });
});

describe("each task on its fixture gives what the task package gives", () => {
  const text = "Ada Lovelace wrote the first program in London.";

  it("text-classification (and its alias) = classify()", async () => {
    const classify = await keep(pipeline("sentiment-analysis", { model: fixture("bert-seq-cls"), load }));
    expect(classify.task).toBe("text-classification");
    expect(classify.requested).toBe("sentiment-analysis");
    const got = await classify(text, { topK: null });
    expect(got).toEqual(await encoder.classify(text, { model: fixture("bert-seq-cls"), topK: null, load }));
    expect(got.map((c) => c.label).sort()).toEqual(["NEGATIVE", "POSITIVE"]);
    const batch = await classify([text, "Another one."]);
    expect(batch).toHaveLength(2);
    expect(batch[0]).toEqual([got[0]]);
  });

  it("token-classification = ner(), with offsets into the text", async () => {
    const ner = await keep(pipeline("ner", { model: fixture("bert-token-cls"), load }));
    const got = await ner(text, { aggregation: "simple" });
    expect(got).toEqual(await encoder.ner(text, { model: fixture("bert-token-cls"), aggregation: "simple", load }));
    for (const e of got) expect(e.start).toBeLessThan(e.end);
  });

  it("question-answering = answer(); the answer is the context's span", async () => {
    const qa = await keep(pipeline("question-answering", { model: fixture("bert-qa"), load }));
    const input = { question: "Who wrote the first program?", context: text };
    const best = await qa(input);
    expect(best).toEqual(await encoder.answer(input, { model: fixture("bert-qa"), load }));
    expect(text.slice(best.start, best.end)).toBe(best.answer);
    expect(await qa(input, { topK: 3 })).toHaveLength(3);
  });

  it("fill-mask = fillMask(), with the model's mask token", async () => {
    const unmask = await keep(pipeline("fill-mask", { model: fixture("bert-mlm"), load }));
    expect(unmask.maskToken).toBe("[MASK]");
    const input = `Paris is the ${unmask.maskToken} of France.`;
    const got = await unmask(input, { topK: 4 });
    expect(got).toEqual(await encoder.fillMask(input, { model: fixture("bert-mlm"), topK: 4, load }));
    expect(got).toHaveLength(4);
  });

  it("bias-audit = auditBias() on the same masked LM", async () => {
    const audit = await keep(pipeline("audit-bias", { model: fixture("bert-mlm"), load }));
    const groups = { men: ["man"], women: ["woman"] };
    const report = await audit({ groups, topK: 3 });
    const want = await encoder.auditBias({ model: fixture("bert-mlm"), groups, topK: 3, load });
    expect(report.sets).toEqual(want.sets);
    expect(report.groups).toEqual(groups);
  });

  it("text-generation = generate(), and the stream adds up to the result", async () => {
    const generate = await keep(pipeline("text-generation", { model: fixture("gpt2"), load }));
    const got = await generate("Once upon a time", { maxNewTokens: 6 });
    const want = await decoder.generate("Once upon a time", { model: fixture("gpt2"), maxNewTokens: 6, load });
    expect(got.tokenIds).toEqual(want.tokenIds);
    const stream = generate.stream("Once upon a time", { maxNewTokens: 6 });
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.text;
    expect(streamed).toBe((await stream.result).text);
    expect((await stream.result).tokenIds).toEqual(want.tokenIds);
  });

  it("chat = the generator's chat() with the same template", async () => {
    const chat = await keep(pipeline("chat", { model: fixture("llama"), load }));
    const messages = [{ role: "user", content: "Hi!" }];
    const got = await chat(messages, { chatTemplate: CHATML, maxNewTokens: 5 });
    const generator = await decoder.createGenerator(fixture("llama"), { load });
    const want = await generator.chat(messages, { chatTemplate: CHATML, maxNewTokens: 5 });
    await generator.dispose();
    expect(got.tokenIds).toEqual(want.tokenIds);
    let streamed = "";
    for await (const chunk of chat.stream(messages, { chatTemplate: CHATML, maxNewTokens: 5 })) streamed += chunk.text;
    expect(streamed).toBe(want.text);
  });

  it("generative-qa runs on a decoder (plain prompt without a chat template) and on an encoder-decoder", async () => {
    const onDecoder = await keep(pipeline("generative-qa", { model: fixture("llama"), load }));
    expect(onDecoder.handle.kind).toBe("decoder");
    const a = await onDecoder({ question: "Who wrote it?", context: text }, { maxNewTokens: 4 });
    expect(a.tokenIds.length).toBeGreaterThan(0);
    expect(a.tokenIds.length).toBeLessThanOrEqual(4);
    expect(a.metrics.promptTokens).toBeGreaterThan(5);
    const onSeq2seq = await keep(pipeline("generative-qa", { model: fixture("t5"), load }));
    expect(onSeq2seq.handle.kind).toBe("encoder-decoder");
    const b = await onSeq2seq({ question: "Who wrote it?", context: text }, { maxNewTokens: 4 });
    expect(typeof b.answer).toBe("string");
    expect(b.tokenIds.length).toBeLessThanOrEqual(4);
    expect(InputError.isInstance(await rejection(onSeq2seq({ context: "no question" } as never)))).toBe(true);
    await expect(pipeline("generative-qa", { model: fixture("bert-qa"), load })).rejects.toThrow(/extracts answers/);
  });

  it("translation_en_to_de fixes the pair = translate(..., { from: 'en', to: 'de' })", async () => {
    const toGerman = await keep(pipeline("translation_en_to_de", { model: fixture("t5"), load }));
    expect([toGerman.from, toGerman.to]).toEqual(["en", "de"]);
    const got = await toGerman("A dog runs.", { maxNewTokens: 6, numBeams: 1 });
    const want = await seq2seq.translate("A dog runs.", { model: fixture("t5"), from: "en", to: "de", maxNewTokens: 6, numBeams: 1, load });
    expect(got.tokenIds).toEqual(want.tokenIds);
    const toFrench = await toGerman("A dog runs.", { to: "fr", maxNewTokens: 6, numBeams: 1 });
    expect(toFrench.to).not.toBe(got.to);
  });

  it("summarization = summarize()", async () => {
    const summarize = await keep(pipeline("summarization", { model: fixture("bart"), load }));
    const doc = `${text} It ran on the Analytical Engine. Nobody built that engine in her lifetime.`;
    const got = await summarize(doc, { maxNewTokens: 6, numBeams: 1 });
    const want = await seq2seq.summarize(doc, { model: fixture("bart"), maxNewTokens: 6, numBeams: 1, load });
    expect(got.tokenIds).toEqual(want.tokenIds);
    expect(got.chunks).toBe(1);
  });
});

describe("errors", () => {
  it("an unknown task is an InputError that lists the known ones", async () => {
    const error = await pipeline("sentiment" as never).catch((e: unknown) => e);
    expect(InputError.isInstance(error)).toBe(true);
    expect((error as InputError).hint).toContain("sentiment-analysis");
  });

  it("a missing model folder is a ModelNotFoundError; a bad model option an InputError", async () => {
    expect(ModelNotFoundError.isInstance(await rejection(pipeline("ner", { model: "./no/such/model" })))).toBe(true);
    expect(InputError.isInstance(await rejection(pipeline("ner", { model: "" })))).toBe(true);
    expect(InputError.isInstance(await rejection(pipeline("ner", null as never)))).toBe(true);
  });

  it("options follow the one contract { model, load, signal }: anything else is an InputError naming the nearest option", async () => {
    const refused: Array<[string, unknown, RegExp]> = [
      ["ner", { model: fixture("bert-token-cls"), threads: 1 }, /"threads".*load: \{ threads: 1 \}/s],
      ["ner", { model: fixture("bert-token-cls"), modle: "x" }, /"modle".*"model"/s],
      ["ner", { model: fixture("bert-token-cls"), from: "en" }, /"from"/],
      ["ner", { model: fixture("bert-token-cls"), load: { thread: 1 } }, /"thread".*"threads"/s],
      ["ner", { model: fixture("bert-token-cls"), load: { device: "gpu" } }, /device/],
    ];
    for (const [task, options, message] of refused) {
      const error = await pipeline(task as "ner", options as never).catch((e: unknown) => e);
      expect(InputError.isInstance(error), JSON.stringify(options)).toBe(true);
      expect(`${(error as InputError).message}`).toMatch(message);
    }
    const translator = await keep(pipeline("translation", { model: fixture("t5"), load, from: "en", to: "de" }));
    expect([translator.from, translator.to]).toEqual(["en", "de"]);
  });

  it("a signal cancels loading", async () => {
    const error = await pipeline("ner", { model: fixture("bert-token-cls"), load, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
  });

  it("a model of the wrong family is refused by the task package", async () => {
    expect(InputError.isInstance(await rejection(pipeline("summarization", { model: fixture("gpt2"), load })))).toBe(true);
  });

  it("a disposed pipeline throws DisposedError and frees its model", async () => {
    const classify = await pipeline("text-classification", { model: fixture("bert-seq-cls"), load });
    await classify.dispose();
    expect(classify.disposed).toBe(true);
    expect(classify.model.disposed).toBe(true);
    expect(DisposedError.isInstance(thrown(() => classify("x")))).toBe(true);
    await classify.dispose();
    const generate = await pipeline("text-generation", { model: fixture("gpt2"), load });
    await generate.dispose();
    expect(DisposedError.isInstance(thrown(() => generate.stream("x")))).toBe(true);
  });
});
