import { FUZZ_SEED, fixture, hostileText, notText } from "@proj/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generatorOf, IGNORE_EOS, post, type Running, start, until } from "../helpers.js";

/**
 * The server under hostile requests and load: fuzzed JSON bodies on every endpoint never get a 5xx (always a result
 * or an OpenAI-shaped 4xx that names the field); hostile text gives offsets inside the text; 64 concurrent mixed
 * requests answer exactly what the same requests answer one by one; clients that hang up mid-stream leave nothing
 * running.
 */

let run: Running;
beforeAll(async () => {
  vi.stubEnv("HF_HUB_OFFLINE", "1");
  run = await start({
    maxBodyBytes: 256 * 1024,
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

const ENDPOINTS = ["completions", "chat/completions", "classify", "ner", "answer", "fill-mask", "translate", "summarize"] as const;
const FIELDS = [
  "model",
  "prompt",
  "messages",
  "input",
  "question",
  "context",
  "max_tokens",
  "temperature",
  "top_p",
  "top_k",
  "n",
  "stop",
  "stream",
  "seed",
  "presence_penalty",
  "frequency_penalty",
  "aggregation_strategy",
  "ignore_labels",
  "function_to_apply",
  "targets",
  "source_lang",
  "target_lang",
  "num_beams",
  "max_answer_length",
  "handle_impossible_answer",
  "logit_bias",
  "stream_options",
  "min_tokens",
];
/** Values that keep each call short: max_tokens and num_beams are small when they are numbers. */
const value = (field: string) =>
  field === "max_tokens" || field === "num_beams" || field === "n"
    ? fc.oneof(fc.integer({ min: -2, max: 3 }), fc.anything({ maxDepth: 1 }))
    : fc.oneof(
        { weight: 3, arbitrary: fc.anything({ maxDepth: 2 }) },
        { weight: 2, arbitrary: hostileText(6) },
        { weight: 1, arbitrary: fc.array(hostileText(3), { maxLength: 3 }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<unknown>("llama", "t5", "de", "simple", [{ role: "user", content: "Hi" }], null, -1, 0, 1e308),
        },
      );
const body = fc.oneof(
  { weight: 1, arbitrary: notText() },
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(...FIELDS)
      .chain((f) => fc.tuple(fc.constant(f), value(f)))
      .chain((first) =>
        fc
          .array(
            fc.constantFrom(...FIELDS).chain((f) => fc.tuple(fc.constant(f), value(f))),
            { maxLength: 5 },
          )
          .map((rest) => Object.fromEntries([first, ...rest])),
      ),
  },
);

describe("fuzzed request bodies", () => {
  it("never get a 5xx: a result, or a 4xx with the OpenAI error shape", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), body, async (endpoint, payload) => {
        const json = JSON.stringify(payload, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)) ?? "null";
        const response = await post(`${run.url}/v1/${endpoint}`, json);
        expect(response.status, `${endpoint} ${json.slice(0, 300)} -> ${JSON.stringify(response.json).slice(0, 300)}`).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.json.error?.type).toMatch(/_error$/);
          expect(typeof response.json.error?.message).toBe("string");
        }
      }),
      { seed: FUZZ_SEED, numRuns: 200 },
    );
    const health = await fetch(`${run.url}/health`);
    expect(health.status).toBe(200);
    expect(generatorOf(run).batchStats()).toEqual({ running: 0, queued: 0 });
  });

  it("hostile text through the task endpoints: entity and answer offsets inside the text", async () => {
    await fc.assert(
      fc.asyncProperty(hostileText(), hostileText(4), async (text, question) => {
        const ner = await post(`${run.url}/v1/ner`, { input: text, aggregation_strategy: "simple", ignore_labels: [] });
        if (ner.status === 200) {
          const [first] = ner.json.data as Array<{ entities: Array<{ start: number; end: number }> }>;
          for (const e of first?.entities ?? []) expect(0 <= e.start && e.start <= e.end && e.end <= text.length).toBe(true);
        } else {
          expect(ner.status).toBe(400);
        }
        const qa = await post(`${run.url}/v1/answer`, { question, context: text });
        if (qa.status === 200) {
          for (const a of qa.json.data as Array<{ answer: string; start: number; end: number }>)
            expect(text.slice(a.start, a.end)).toBe(a.answer);
        } else {
          expect(qa.status).toBe(400);
        }
      }),
      { seed: FUZZ_SEED, numRuns: 40 },
    );
  });
});

describe("64 concurrent mixed requests", () => {
  it("answer exactly what the same requests answer one by one", async () => {
    const requests = Array.from({ length: 64 }, (_, i): [string, unknown] => {
      const text = ["Ada Lovelace lived in London.", "I love this film 😀", "Hello there", "Paris is nice"][i % 4] as string;
      switch (i % 8) {
        case 0:
          return ["completions", { model: "llama", prompt: text, max_tokens: 6, temperature: 0, ...IGNORE_EOS }];
        case 1:
          return [
            "chat/completions",
            { model: "llama", messages: [{ role: "user", content: text }], max_tokens: 5, seed: i, temperature: 1 },
          ];
        case 2:
          return ["classify", { input: [text, `${text}!`], top_k: null }];
        case 3:
          return ["ner", { input: text, aggregation_strategy: "first" }];
        case 4:
          return ["answer", { question: "Where?", context: text, top_k: 2 }];
        case 5:
          return ["fill-mask", { input: `${text} [MASK]`, top_k: 3 }];
        case 6:
          return ["translate", { input: text, target_lang: "de", max_tokens: 5 }];
        default:
          return ["summarize", { input: text, max_tokens: 5 }];
      }
    });
    /** The answer without what differs per request (ids, timestamps, timings). */
    const stable = (json: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify(json, (k, v: unknown) => (["id", "created", "metrics", "usage", "system_fingerprint"].includes(k) ? undefined : v)),
      ) as unknown;
    const sequential = [];
    for (const [path, payload] of requests) {
      const r = await post(`${run.url}/v1/${path}`, payload);
      expect(r.status, `${path} ${JSON.stringify(r.json).slice(0, 200)}`).toBe(200);
      sequential.push(stable(r.json));
    }
    const concurrent = await Promise.all(
      requests.map(async ([path, payload]) => stable((await post(`${run.url}/v1/${path}`, payload)).json)),
    );
    expect(concurrent).toEqual(sequential);
  });

  it("20 clients hanging up mid-stream leave nothing running, and the next request is answered", async () => {
    for (let i = 0; i < 20; i++) {
      const controller = new AbortController();
      const response = await fetch(`${run.url}/v1/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "llama", prompt: "Hello", max_tokens: 500, stream: true, temperature: 0, ...IGNORE_EOS }),
        signal: controller.signal,
      });
      const reader = response.body?.getReader();
      await reader?.read();
      controller.abort();
      await reader?.cancel().catch(() => undefined);
    }
    await until(() => generatorOf(run).batchStats().running === 0, 5_000, "the cancelled generations to leave the batch");
    expect(generatorOf(run).batchStats()).toEqual({ running: 0, queued: 0 });
    const ok = await post(`${run.url}/v1/completions`, { model: "llama", prompt: "Hi", max_tokens: 2 });
    expect(ok.status).toBe(200);
  });
});
