import { CANONICAL_TASKS, TASK_ALIASES } from "@proj/chooser";
import { InputError } from "@proj/core";
import {
  classifyZeroShot,
  cosineSimilarity,
  createClassifier,
  createFillMask,
  createQuestionAnswerer,
  createTokenClassifier,
  embed,
  rerank,
} from "@proj/encoder";
import { createSummarizer, createTranslator } from "@proj/seq2seq";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "../src/index.js";
import { type Answer, post, type Running, start } from "./helpers.js";

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
      embed: fixture("bert-embed"),
      rerank: fixture("bert-cross-encoder"),
      "zero-shot": fixture("bert-nli"),
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
      embed: "bert-embed",
      rerank: "bert-cross-encoder",
      "zero-shot": "bert-nli",
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
      const constrained = await call("ner", { input: texts[1], aggregation_strategy: "first", decoding: "constrained", tag_scheme: "BIO" });
      expect(constrained.json.data).toEqual([
        { index: 0, entities: await tagger.ner(texts[1] as string, { aggregation: "first", decoding: "constrained", tagScheme: "BIO" }) },
      ]);
      expect((await call("ner", { input: texts[1], decoding: "viterbi" })).status).toBe(400);

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
      ["embed", { input: [] }, 400, "input"],
      ["embed", { input: "ok", dimensions: 0 }, 400, "dimensions"],
      ["embed", { input: "ok", normalize: "yes" }, 400, "normalize"],
      ["embed", { input: "ok", model: "other" }, 404, "model"],
      ["sentence-similarity", { source_sentence: "ok" }, 400, "sentences"],
      ["sentence-similarity", { source_sentence: " ", sentences: ["ok"] }, 400, "source_sentence"],
      ["rerank", { documents: ["ok"] }, 400, "query"],
      ["rerank", { query: "ok", documents: "ok", top_n: 0 }, 400, "top_n"],
      ["zero-shot", { input: "ok", candidate_labels: [] }, 400, "candidate_labels"],
      ["zero-shot", { input: "ok", candidate_labels: ["a"], multi_label: 1 }, 400, "multi_label"],
      ["zero-shot", { input: "ok", candidate_labels: ["a"], hypothesis_template: "no label" }, 400, null],
    ];
    for (const [path, body, status, param] of cases) {
      const answer = await call(path, body);
      expect({ path, body, status: answer.status }).toEqual({ path, body, status });
      expect(answer.json.error?.param ?? null).toBe(param);
      expect(typeof answer.json.error?.message).toBe("string");
    }
  });
});

describe("embedding, similarity, rerank and zero-shot endpoints answer what the encoder functions answer", () => {
  const texts = ["a dog runs", "a puppy is running", "the stock market fell"];
  const floats = (rows: Float32Array[]) => rows.map((r) => Array.from(r));

  it("embed (/v1/embed) with its options", async () => {
    const plain = await call("embed", { input: texts });
    expect(plain.status).toBe(200);
    expect(plain.json).toEqual({ model: "bert-embed", embeddings: floats(await embed(texts, { model: fixture("bert-embed"), ...LOAD })) });

    const options = { input: texts[0], normalize: false, dimensions: 8, prompt: "query: ", truncate: true };
    const shaped = await call("feature-extraction", options);
    const want = await embed([texts[0] as string], {
      model: fixture("bert-embed"),
      normalize: false,
      dimensions: 8,
      prompt: "query: ",
      truncation: "truncate",
      ...LOAD,
    });
    expect(shaped.json.embeddings).toEqual(floats(want));
    expect((shaped.json.embeddings as number[][])[0]).toHaveLength(8);
  });

  it("a text longer than the model is a 400 unless truncate is on", async () => {
    const long = "word ".repeat(2000);
    const refused = await call("embed", { input: long });
    expect(refused.status).toBe(400);
    const truncated = await call("embed", { input: long, truncate: true });
    expect(truncated.json.embeddings).toEqual(
      floats(await embed([long], { model: fixture("bert-embed"), truncation: "truncate", ...LOAD })),
    );
  });

  it("sentence-similarity: the cosine of the feature-extraction model's embeddings", async () => {
    const answer = await call("sentence-similarity", { source_sentence: texts[0], sentences: texts.slice(1) });
    expect(answer.status).toBe(200);
    const [source, ...rest] = await embed(texts, { model: fixture("bert-embed"), ...LOAD });
    expect(answer.json).toEqual({ model: "bert-embed", similarities: rest.map((v) => cosineSimilarity(source as Float32Array, v)) });
  });

  it("rerank in Cohere's format: index, relevance_score and document: { text }", async () => {
    const query = "how fast do dogs run?";
    const documents = ["Cats sleep a lot.", "Greyhounds are fast.", "Dogs run at 30 km/h."];
    const answer = await call("rerank", { query, documents, top_n: 2, return_documents: true });
    expect(answer.status).toBe(200);
    const want = await rerank(query, documents, { model: fixture("bert-cross-encoder"), topK: 2, ...LOAD });
    expect(answer.json).toEqual({
      model: "bert-cross-encoder",
      results: want.map((r) => ({ index: r.index, relevance_score: r.score, document: { text: documents[r.index] } })),
    });
    const all = await call("text-ranking", { query, documents });
    const every = await rerank(query, documents, { model: fixture("bert-cross-encoder"), ...LOAD });
    expect(all.json.results).toEqual(every.map((r) => ({ index: r.index, relevance_score: r.score })));
  });

  it("zero-shot in the Hub's format: sequence, labels and scores, best first", async () => {
    const labels = ["sports", "politics", "cooking"];
    const input = "The striker scored twice in the final";
    const answer = await call("zero-shot", { input, candidate_labels: labels });
    expect(answer.status).toBe(200);
    const want = await classifyZeroShot(input, labels, { model: fixture("bert-nli"), ...LOAD });
    expect(answer.json).toEqual({ model: "bert-nli", ...want });

    const options = { hypothesis_template: "This text is about {}.", multi_label: true };
    const multi = await call("zero-shot-classification", { input, candidate_labels: labels, ...options });
    const wantMulti = await classifyZeroShot(input, labels, {
      model: fixture("bert-nli"),
      hypothesisTemplate: "This text is about {}.",
      multiLabel: true,
      ...LOAD,
    });
    expect(multi.json).toEqual({ model: "bert-nli", ...wantMulti });
  });

  it("POST /v1/embeddings answers the official openai client (float and base64) with embed()'s vectors", async () => {
    const want = await embed(texts, { model: fixture("bert-embed"), ...LOAD });
    const close = (got: ArrayLike<number>, expected: Float32Array) => {
      expect(got).toHaveLength(expected.length);
      for (let d = 0; d < expected.length; d++) expect(Math.abs((got[d] as number) - (expected[d] as number))).toBeLessThan(1e-5);
    };

    const float = await run.client.embeddings.create({ model: "bert-embed", input: texts, encoding_format: "float" });
    expect(float.object).toBe("list");
    expect(float.model).toBe("bert-embed");
    expect(float.data.map((d) => [d.object, d.index])).toEqual(texts.map((_, i) => ["embedding", i]));
    float.data.forEach((d, i) => {
      close(d.embedding, want[i] as Float32Array);
    });
    expect(float.usage.prompt_tokens).toBeGreaterThan(texts.length * 2);
    expect(float.usage.total_tokens).toBe(float.usage.prompt_tokens);

    // Without encoding_format the client asks for base64 and decodes it itself.
    const decoded = await run.client.embeddings.create({ model: "bert-embed", input: texts[0] as string });
    close(decoded.data[0]?.embedding as number[], want[0] as Float32Array);

    const base64 = await run.client.embeddings.create({ model: "bert-embed", input: texts, encoding_format: "base64" });
    base64.data.forEach((d, i) => {
      const bytes = Buffer.from(d.embedding as unknown as string, "base64");
      const vector = Array.from({ length: bytes.length / 4 }, (_, k) => bytes.readFloatLE(k * 4));
      close(vector, want[i] as Float32Array);
    });

    const short = await run.client.embeddings.create({
      model: "bert-embed",
      input: texts[1] as string,
      dimensions: 4,
      encoding_format: "float",
    });
    const [wantShort] = await embed([texts[1] as string], { model: fixture("bert-embed"), dimensions: 4, ...LOAD });
    close(short.data[0]?.embedding as number[], wantShort as Float32Array);
  });

  it("POST /v1/embeddings refuses what OpenAI refuses, in OpenAI's error shape", async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ model: "bert-embed" }, 400, "input"],
      [{ model: "bert-embed", input: [1, 2, 3] }, 400, "input"],
      [{ model: "bert-embed", input: "" }, 400, "input"],
      [{ model: "bert-embed", input: "ok", encoding_format: "int8" }, 400, "encoding_format"],
      [{ model: "bert-embed", input: "ok", dimensions: 0 }, 400, "dimensions"],
      [{ model: "text-embedding-3-small", input: "ok" }, 404, "model"],
    ];
    for (const [body, status, param] of cases) {
      const answer = await call("embeddings", body);
      expect({ body, status: answer.status }).toEqual({ body, status });
      expect(answer.json.error?.param).toBe(param);
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
  "feature-extraction": { input: ["a dog runs", "a puppy is running"] },
  "sentence-similarity": { source_sentence: "a dog runs", sentences: ["a puppy is running", "the stock fell"] },
  "text-ranking": { query: "how fast do dogs run?", documents: ["Cats sleep a lot.", "Greyhounds are fast."], top_n: 1 },
  "zero-shot-classification": { input: "The striker scored twice", candidate_labels: ["sports", "politics"] },
};

/**
 * Chooser names whose route answers in OpenAI's wire format (`POST /v1/embeddings`), read back into the task
 * endpoint's answer so that the vocabulary test compares them all the same.
 */
const WIRE_FORMATS: Readonly<Record<string, (json: Answer) => unknown>> = {
  embeddings: (json) => ({ model: json.model, embeddings: (json.data as Array<{ embedding: number[] }>).map((d) => d.embedding) }),
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
        expect(WIRE_FORMATS[names[i] as string]?.(answer.json) ?? answer.json).toEqual(answers[0]?.json);
      }
    }
    // The documented short routes are among them.
    const short = {
      classify: "text-classification",
      ner: "token-classification",
      answer: "question-answering",
      translate: "translation",
      summarize: "summarization",
      embed: "feature-extraction",
      rerank: "text-ranking",
      "zero-shot": "zero-shot-classification",
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
      ["embed", { input: "ok", normalise: true }, "normalise", "normalize"],
      ["feature-extraction", { input: "ok", promptName: "query" }, "promptName", "prompt_name"],
      ["sentence-similarity", { source_sentence: "ok", sentence: ["ok"] }, "sentence", "sentences"],
      ["rerank", { query: "ok", documents: ["ok"], top_k: 1 }, "top_k", "top_n"],
      ["text-ranking", { query: "ok", documents: ["ok"], return_document: true }, "return_document", "return_documents"],
      ["zero-shot", { input: "ok", candidate_labels: ["a"], multi_class: true }, "multi_class", "multi_label"],
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
      [{ tasks: { embed: fixture("bert-embed"), "sentence-similarity": fixture("bert-embed") } }, /feature-extraction twice/],
      [{ tasks: { reranker: fixture("bert-cross-encoder") } }, /reranker.*rerank/s],
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

  it("takes the feature-extraction model under sentence-similarity, the task it serves too", async () => {
    const server = await createServer({ tasks: { "sentence-similarity": fixture("bert-embed") }, load: { threads: 1 } });
    try {
      expect(server.models.map((m) => [m.task, m.id])).toEqual([["embed", "bert-embed"]]);
    } finally {
      await server.close();
    }
  });
});
