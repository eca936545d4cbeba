import { CANONICAL_TASKS, TASK_ALIASES } from "@proj/chooser";
import { InputError } from "@proj/core";
import { createClassifier, createFillMask, createQuestionAnswerer, createTokenClassifier } from "@proj/encoder";
import { createSummarizer, createTranslator } from "@proj/seq2seq";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "../src/index.js";
import { post, type Running, start } from "./helpers.js";

let run: Running;
beforeAll(async () => {
  run = await start({
    tasks: {
      classify: fixture("bert-seq-cls"),
      ner: fixture("bert-token-cls"),
      answer: fixture("bert-qa"),
      "fill-mask": fixture("bert-mlm"),
      translate: fixture("t5"),
      summarize: fixture("bart"),
    },
  });
});
afterAll(() => run?.server.close());

const call = (path: string, body: unknown) => post(`${run.url}/v1/${path}`, body);
const LOAD = { load: { threads: 1 } };

describe("task endpoints answer what the task handles answer", () => {
  it("lists every task model with its task", async () => {
    const models = (await run.client.models.list()).data as Array<{ id: string; task?: string }>;
    expect(Object.fromEntries(models.map((m) => [m.task, m.id]))).toEqual({
      generate: "llama",
      classify: "bert-seq-cls",
      ner: "bert-token-cls",
      answer: "bert-qa",
      "fill-mask": "bert-mlm",
      translate: "t5",
      summarize: "bart",
    });
  });

  it("classify, ner, answer and fill-mask", async () => {
    const texts = ["I love this film", "Ada Lovelace lived in London"];
    const [classifier, tagger, qa, masker] = await Promise.all([
      createClassifier(fixture("bert-seq-cls"), LOAD),
      createTokenClassifier(fixture("bert-token-cls"), LOAD),
      createQuestionAnswerer(fixture("bert-qa"), LOAD),
      createFillMask(fixture("bert-mlm"), LOAD),
    ]);
    try {
      const classified = await call("classify", { input: texts, top_k: null });
      expect(classified.status).toBe(200);
      expect(classified.json.data).toEqual((await classifier.classify(texts, { topK: null })).map((labels, index) => ({ index, labels })));

      const ner = await call("ner", { input: texts[1], aggregation_strategy: "simple", ignore_labels: [] });
      expect(ner.json.data).toEqual([
        { index: 0, entities: await tagger.ner(texts[1] as string, { aggregation: "simple", ignoreLabels: [] }) },
      ]);

      const question = { question: "Where did Ada live?", context: "Ada Lovelace lived in London with her mother." };
      const answered = await call("answer", { ...question, top_k: 2 });
      expect(answered.json.data).toEqual(await qa.answer(question, { topK: 2 }));

      const filled = await call("fill-mask", { input: "The capital of France is [MASK].", top_k: 3 });
      const want = await masker.fillMask("The capital of France is [MASK].", { topK: 3 });
      expect(filled.json.data).toEqual([
        { index: 0, predictions: want.map((p) => ({ score: p.score, token: p.token, token_str: p.tokenStr, sequence: p.sequence })) },
      ]);
    } finally {
      await Promise.all([classifier.dispose(), tagger.dispose(), qa.dispose(), masker.dispose()]);
    }
  });

  it("translate and summarize, with usage", async () => {
    const [translator, summarizer] = await Promise.all([createTranslator(fixture("t5"), LOAD), createSummarizer(fixture("bart"), LOAD)]);
    try {
      const text = "The house is wonderful.";
      const translated = await call("translate", { input: text, target_lang: "de", max_tokens: 8, num_beams: 1 });
      const want = await translator.translate(text, { to: "de", maxNewTokens: 8, numBeams: 1 });
      expect(translated.json.data).toEqual([
        { index: 0, text: want.text, source_lang: want.from, target_lang: want.to, finish_reason: want.finishReason },
      ]);
      expect(translated.json.usage).toMatchObject({ completion_tokens: want.metrics.generatedTokens });

      const summary = await call("summarize", { input: [text, "Another short text."], max_tokens: 8, num_beams: 1 });
      const wants = await summarizer.summarize([text, "Another short text."], { maxNewTokens: 8, numBeams: 1 });
      expect((summary.json.data as Array<{ text: string }>).map((d) => d.text)).toEqual(wants.map((w) => w.text));
    } finally {
      await Promise.all([translator.dispose(), summarizer.dispose()]);
    }
  });

  it("bad task input is a 400 or 404 with the OpenAI error shape", async () => {
    const cases: Array<[string, unknown, number, string | null]> = [
      ["classify", {}, 400, "input"],
      ["classify", { input: 5 }, 400, "input"],
      ["classify", { input: "ok", top_k: "all" }, 400, "top_k"],
      ["classify", { input: "ok", model: "other" }, 404, "model"],
      ["ner", { input: "ok", aggregation_strategy: "mean" }, 400, "aggregation_strategy"],
      ["answer", { question: "Who?" }, 400, "context"],
      ["fill-mask", { input: "no mask here" }, 400, null],
      ["translate", { input: "Hello", target_lang: "Klingon" }, 400, null],
      ["summarize", { input: [""] }, 400, "input"],
    ];
    for (const [path, body, status, param] of cases) {
      const answer = await call(path, body);
      expect({ path, body, status: answer.status }).toEqual({ path, body, status });
      expect(answer.json.error?.param ?? null).toBe(param);
      expect(typeof answer.json.error?.message).toBe("string");
    }
  });
});

/** A small valid body for each chooser task the task endpoints serve. */
const BODIES: Readonly<Record<string, unknown>> = {
  "text-classification": { input: "I love this film" },
  "token-classification": { input: "Ada Lovelace lived in London" },
  "question-answering": { question: "Where did Ada live?", context: "Ada Lovelace lived in London." },
  "fill-mask": { input: "The capital of France is [MASK].", top_k: 2 },
  translation: { input: "The house is wonderful.", target_lang: "de", max_tokens: 3, num_beams: 1 },
  summarization: { input: "The house is wonderful.", max_tokens: 3, num_beams: 1 },
};

/** The chooser's tasks that the OpenAI endpoints (or nothing on a server) serve instead of a task endpoint. */
const NOT_TASK_ENDPOINTS = ["bias-audit", "text-generation", "chat", "generative-qa"];

describe("task endpoints are named by the chooser's task vocabulary", () => {
  it("every served chooser task answers under its canonical name and each of its aliases, the same as under its short route", async () => {
    const served = CANONICAL_TASKS.filter((t) => !NOT_TASK_ENDPOINTS.includes(t));
    expect(served.sort()).toEqual(Object.keys(BODIES).sort());
    for (const task of served) {
      const names = [task, ...Object.entries(TASK_ALIASES).flatMap(([alias, t]) => (t === task ? [alias] : []))];
      const answers = await Promise.all(names.map((name) => call(name, BODIES[task])));
      for (const [i, answer] of answers.entries()) {
        expect({ route: names[i], status: answer.status }).toEqual({ route: names[i], status: 200 });
        expect(answer.json).toEqual(answers[0]?.json);
      }
    }
    // The documented short routes are among them.
    const short = {
      classify: "text-classification",
      ner: "token-classification",
      answer: "question-answering",
      translate: "translation",
      summarize: "summarization",
    };
    for (const [route, task] of Object.entries(short)) expect((await call(route, BODIES[task])).status).toBe(200);
  });

  it("accepts the inputs the library accepts: [MASK] or <mask> whatever the model's mask token (bug 7)", async () => {
    const bracket = await call("fill-mask", { input: "The capital of France is [MASK].", top_k: 3 });
    const angle = await call("fill-mask", { input: "The capital of France is <mask>.", top_k: 3 });
    expect(angle.status).toBe(200);
    expect(angle.json.data).toEqual(bracket.json.data);
  });

  it("a body field a task endpoint does not know is a 400 naming it and the nearest known field (or all of them)", async () => {
    const cases: Array<[string, unknown, string, string]> = [
      ["classify", { input: "ok", topk: 2 }, "topk", "top_k"],
      ["ner", { input: "ok", aggregation: "simple" }, "aggregation", "aggregation_strategy"],
      ["answer", { question: "Who?", context: "Ada.", max_answer_len: 3 }, "max_answer_len", "max_answer_length"],
      ["fill-mask", { input: "a [MASK].", target: ["b"] }, "target", "targets"],
      ["translate", { input: "Hello", target_language: "de" }, "target_language", "target_lang"],
      ["summarize", { input: "Hello there.", max_new_tokens: 3 }, "max_new_tokens", "max_tokens"],
    ];
    for (const [path, body, field, near] of cases) {
      const answer = await call(path, body);
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expect(answer.json.error).toMatchObject({ type: "invalid_request_error", param: field, code: "unknown_parameter" });
      expect(answer.json.error?.message).toContain(`"${field}"`);
      expect(answer.json.error?.message).toContain(near);
    }
  });
});

describe("createServer checks its options like every SDK function", () => {
  it("refuses an unknown option, an unknown task name and a load option out of place, naming the nearest", async () => {
    const attempts: Array<[Record<string, unknown>, RegExp]> = [
      [{ model: fixture("llama"), maxSequence: 4 }, /maxSequence.*maxSequences/s],
      [{ tasks: { fillMask: fixture("bert-mlm") } }, /fillMask.*fill-mask/s],
      [{ tasks: { generate: fixture("llama") } }, /generate.*OpenAI endpoints/s],
      [{ tasks: { classify: fixture("bert-seq-cls"), "sentiment-analysis": fixture("bert-seq-cls") } }, /twice/],
      [{ model: fixture("llama"), load: { thread: 1 } }, /thread.*threads/s],
      [{ model: fixture("llama"), load: { device: "gpu" } }, /device/],
    ];
    for (const [options, message] of attempts) {
      const error = await createServer(options as never).then(
        async (server) => {
          await server.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(InputError.isInstance(error), JSON.stringify(options)).toBe(true);
      expect(`${(error as InputError).message} ${(error as InputError).hint ?? ""}`).toMatch(message);
    }
  });

  it("takes task models under the chooser's names of the task", async () => {
    const server = await createServer({
      tasks: { "sentiment-analysis": fixture("bert-seq-cls"), qa: fixture("bert-qa") },
      load: { threads: 1 },
    });
    try {
      expect(server.models.map((m) => m.task).sort()).toEqual(["answer", "classify"]);
    } finally {
      await server.close();
    }
  });
});
