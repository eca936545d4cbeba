import { createClassifier, createFillMask, createQuestionAnswerer, createTokenClassifier } from "@proj/encoder";
import { createSummarizer, createTranslator } from "@proj/seq2seq";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, type Running, start } from "./helpers.js";

let run: Running;
beforeAll(async () => {
  run = await start({
    tasks: {
      classify: fixture("bert-seq-cls"),
      ner: fixture("bert-token-cls"),
      answer: fixture("bert-qa"),
      fillMask: fixture("bert-mlm"),
      translate: fixture("t5"),
      summarize: fixture("bart"),
    },
  });
});
afterAll(() => run?.server.close());

const call = (path: string, body: unknown) => post(`${run.url}/v1/${path}`, body);
const LOAD = { threads: 1 };

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
