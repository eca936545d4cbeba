import { InputError } from "@proj/core";
import { bigText, FUZZ_SEED, fixture, hostileText, notText, whitespaceText } from "@proj/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createSummarizer,
  createTranslator,
  type GenerationResult,
  type Summarizer,
  summarize,
  summarizeStream,
  type Translator,
  translate,
  translateStream,
} from "../../src/index.js";
import { settle } from "./support.js";

/**
 * Property-based fuzzing of translate and summarize (handles, one-shot functions and streams) with hostile text,
 * values that are not text, options of any shape, 1 MB texts and 10,000 texts: a result of the promised shape (the
 * streamed deltas add up to the text) or a typed ProjError, always in time.
 */

let translator: Translator;
let summarizer: Summarizer;
beforeAll(async () => {
  vi.stubEnv("HF_HUB_OFFLINE", "1"); // nothing here may reach the network, whatever a fuzzed option says
  [translator, summarizer] = await Promise.all([
    createTranslator(fixture("t5"), { load: { threads: 1 } }),
    createSummarizer(fixture("bart"), { load: { threads: 1 } }),
  ]);
});
afterAll(() => Promise.all([translator?.dispose(), summarizer?.dispose()]));

const RUNS = { seed: FUZZ_SEED, numRuns: 30 };
const anyText = fc.oneof(
  { weight: 5, arbitrary: hostileText() },
  { weight: 1, arbitrary: whitespaceText() },
  { weight: 1, arbitrary: notText() },
);

function expectResult(result: GenerationResult, maxNewTokens: number): void {
  expect(typeof result.text).toBe("string");
  expect(["stop", "length", "abort"]).toContain(result.finishReason);
  expect(result.tokenIds.length).toBeLessThanOrEqual(maxNewTokens);
  expect(result.sequences[0]?.tokenIds).toEqual(result.tokenIds);
}

async function streamed(s: AsyncIterable<{ text: string }> & { result: Promise<GenerationResult> }): Promise<[string, GenerationResult]> {
  let text = "";
  for await (const chunk of s) text += chunk.text;
  return [text, await s.result];
}

describe("fuzzed texts", () => {
  it("translate: any text or batch gives translations (streamed deltas add up), or an InputError", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyText, fc.array(anyText, { maxLength: 3 })), fc.constantFrom(1, 2), async (input, numBeams) => {
        const options = { to: "de", maxNewTokens: 4, numBeams };
        const outcome = await settle(() => translator.translate(input as string, options));
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(InputError);
          return;
        }
        const results = (Array.isArray(input) ? outcome.value : [outcome.value]) as unknown as GenerationResult[];
        expect(results).toHaveLength(Array.isArray(input) ? input.length : 1);
        for (const r of results) expectResult(r, 4);
        if (!Array.isArray(input)) {
          const [text, result] = await streamed(translator.stream(input as string, options));
          expect(text).toBe(result.text);
          expect(result.tokenIds).toEqual(results[0]?.tokenIds);
        }
      }),
      RUNS,
    );
  });

  it("summarize: any text gives a summary (streamed deltas add up), or an InputError", async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (input) => {
        const options = { maxNewTokens: 4, numBeams: 1, maxInputTokens: 32 };
        const outcome = await settle(() => summarizer.summarize(input as string, options));
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(InputError);
          return;
        }
        expectResult(outcome.value, 4);
        expect(outcome.value.chunks).toBeGreaterThanOrEqual(1);
        const [text, result] = await streamed(summarizer.stream(input as string, options));
        expect(text).toBe(result.text);
      }),
      RUNS,
    );
  });

  it("options of any shape give a result or a typed error, for every entry point", async () => {
    const keys = [
      "to",
      "from",
      "maxNewTokens",
      "minNewTokens",
      "numBeams",
      "numReturnSequences",
      "doSample",
      "seed",
      "topK",
      "topP",
      "stop",
      "eosTokenId",
      "batchSize",
      "chunking",
      "maxInputTokens",
      "onToken",
      "onChunk",
      "signal",
      "maxTime",
      "lengthPenalty",
      "noRepeatNgramSize",
      "model",
      "load",
    ];
    const value = fc.oneof(
      fc.anything({ maxDepth: 1 }),
      fc.constantFrom<unknown>(null, 0, -1, 1, 2, 16, 1.5, "", "de", "fr", "German", [], {}, 10n),
    );
    const options = fc.oneof(
      fc.constantFrom<unknown>(null, 42, "de", [], true),
      fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(
        options,
        fc.constantFrom("translate", "translateStream", "summarize", "summarizeStream", "oneShot"),
        async (raw, entry) => {
          const object = raw !== null && typeof raw === "object" && !Array.isArray(raw);
          // Keep calls short: a valid maxNewTokens is capped at 3 (invalid values are kept, to be refused).
          const opts = object
            ? {
                to: "de",
                ...raw,
                ...(typeof (raw as { maxNewTokens?: unknown }).maxNewTokens !== "number" ||
                (raw as { maxNewTokens: number }).maxNewTokens > 3
                  ? { maxNewTokens: 3 }
                  : {}),
              }
            : raw;
          await settle(async () => {
            if (entry === "translate") return translator.translate("Hello there", opts as never);
            if (entry === "translateStream") return translator.stream("Hello there", opts as never).result;
            if (entry === "summarize") return summarizer.summarize("A short text. It has two sentences.", opts as never);
            if (entry === "summarizeStream") return summarizer.stream("A short text.", opts as never).result;
            return translate("Hello", (object ? { ...(opts as object), model: translator } : opts) as never);
          });
        },
      ),
      {
        seed: FUZZ_SEED,
        numRuns: 150,
        examples: [
          [null, "translate"],
          [null, "summarize"],
          [{ to: 42 }, "translate"],
          [{ onToken: 1 }, "translateStream"],
        ],
      },
    );
  });

  it("one-shot functions refuse null options and models that are not models with InputError", async () => {
    for (const work of <Array<() => Promise<unknown>>>[
      () => translate("Hello", null as never),
      () => summarize("Hello", null as never),
      () => translateStream("Hello", null as never).result,
      () => summarizeStream("Hello", null as never).result,
      () => translate("Hello", { model: 42 as never }),
      () => summarize("Hello", { model: {} as never }),
    ]) {
      const outcome = await settle(work);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error).toBeInstanceOf(InputError);
    }
  });
});

describe("huge inputs", () => {
  it("a 1 MB text: translate says it is too long and how to split it; summarize reads it by chunks", async () => {
    const big = bigText(1_000_000);
    await expect(translator.translate(big, { to: "de" })).rejects.toThrow(/split it into sentences/);
    const summary = await summarizer.summarize(big, { maxNewTokens: 4, numBeams: 1 });
    expect(summary.chunks).toBeGreaterThan(100);
    expect(summary.chunkSummaries).toHaveLength(summary.chunks);
    expect(typeof summary.text).toBe("string");
  });

  it("10,000 texts in one call: one translation per text, in order", async () => {
    const texts = Array.from({ length: 10_000 }, (_, i) => `Text number ${i % 97} 😀`);
    const results = await translator.translate(texts, { to: "de", maxNewTokens: 1, batchSize: 64 });
    expect(results).toHaveLength(10_000);
    for (const i of [0, 5_555, 9_999])
      expect(results[i]?.tokenIds).toEqual((await translator.translate(texts[i] as string, { to: "de", maxNewTokens: 1 })).tokenIds);
  });
});
