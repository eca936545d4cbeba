import { InputError } from "@proj/core";
import { bigText, FUZZ_SEED, fixture, hostileText, notText, whitespaceText } from "@proj/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { chat, createGenerator, type GenerationResult, type LocalGenerator, generate, stream, streamChat } from "../../src/index.js";
import { settle } from "./support.js";

/**
 * Property-based fuzzing of generate, stream and chat (handle and one-shot) with hostile prompts and messages,
 * values that are not text, options of any shape, a 1 MB prompt and 10,000 prompts: each call settles with a result
 * of the promised shape (streamed deltas add up to the text) or a typed ProjError.
 */

const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

let gpt2: LocalGenerator;
let llama: LocalGenerator;
beforeAll(async () => {
  vi.stubEnv("HF_HUB_OFFLINE", "1"); // nothing here may reach the network, whatever a fuzzed option says
  [gpt2, llama] = await Promise.all([
    createGenerator(fixture("gpt2"), { load: { threads: 1 } }),
    createGenerator(fixture("llama"), { load: { threads: 1 } }),
  ]);
});
afterAll(() => Promise.all([gpt2?.dispose(), llama?.dispose()]));

const RUNS = { seed: FUZZ_SEED, numRuns: 30 };
const FINISH = ["stop", "length", "abort"];

function expectResult(result: GenerationResult, maxNewTokens: number): void {
  expect(typeof result.text).toBe("string");
  expect(FINISH).toContain(result.finishReason);
  expect(result.tokenIds.every((id) => Number.isInteger(id) && id >= 0)).toBe(true);
  expect(result.tokenIds.length).toBeLessThanOrEqual(maxNewTokens);
  expect(result.sequences[0]?.tokenIds).toEqual(result.tokenIds);
}

describe("fuzzed prompts and messages", () => {
  for (const name of ["gpt2", "llama"] as const) {
    it(`${name}: generate and stream any text (deltas add up to the text), or InputError`, async () => {
      const generator = name === "gpt2" ? gpt2 : llama;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 5, arbitrary: hostileText() },
            { weight: 1, arbitrary: whitespaceText() },
            { weight: 1, arbitrary: notText() },
          ),
          fc.integer({ min: 1, max: 6 }),
          fc.boolean(),
          async (prompt, maxNewTokens, doSample) => {
            const options = { maxNewTokens, doSample, seed: 7, stop: ["\n\n"] };
            const outcome = await settle(() => generator.generate(prompt as string, options));
            if (!outcome.ok) {
              expect(outcome.error).toBeInstanceOf(InputError);
              return;
            }
            expectResult(outcome.value, maxNewTokens);
            const s = generator.stream(prompt as string, options);
            let streamed = "";
            for await (const chunk of s) streamed += chunk.text;
            const result = await s.result;
            expect(streamed).toBe(result.text);
            expect(result.tokenIds).toEqual(outcome.value.tokenIds);
          },
        ),
        RUNS,
      );
    });
  }

  it("chat and streamChat: any message content, or messages that are not messages", async () => {
    const message = fc.oneof(
      { weight: 6, arbitrary: fc.record({ role: fc.constantFrom("system", "user", "assistant"), content: hostileText(10) }) },
      { weight: 1, arbitrary: fc.record({ role: notText(), content: hostileText(3) }) },
      { weight: 1, arbitrary: fc.record({ role: fc.constant("user"), content: notText() }) },
      { weight: 1, arbitrary: notText() },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(message, { maxLength: 4 }), notText()), async (messages) => {
        const outcome = await settle(() => llama.chat(messages as never, { maxNewTokens: 3, chatTemplate: CHATML }));
        if (!outcome.ok) {
          expect(outcome.error).toBeInstanceOf(InputError);
          return;
        }
        expectResult(outcome.value, 3);
        const s = llama.streamChat(messages as never, { maxNewTokens: 3, chatTemplate: CHATML });
        let streamed = "";
        for await (const chunk of s) streamed += chunk.text;
        expect(streamed).toBe((await s.result).text);
      }),
      RUNS,
    );
  });

  it("options of any shape give a result or a typed error, for every entry point", async () => {
    const keys = [
      "maxNewTokens",
      "minNewTokens",
      "doSample",
      "temperature",
      "topK",
      "topP",
      "minP",
      "repetitionPenalty",
      "presencePenalty",
      "frequencyPenalty",
      "noRepeatNgramSize",
      "badWordsIds",
      "suppressTokens",
      "eosTokenId",
      "numBeams",
      "numReturnSequences",
      "seed",
      "stop",
      "maxTime",
      "signal",
      "onToken",
      "addSpecialTokens",
      "truncatePrompt",
      "chatTemplate",
      "templateVariables",
      "model",
      "load",
    ];
    const value = fc.oneof(
      fc.anything({ maxDepth: 1 }),
      fc.constantFrom<unknown>(null, 0, -1, 1, 2, 1.5, "", [], {}, [[]], 10n, () => {
        throw new Error("callback");
      }),
    );
    const options = fc.oneof(
      fc.constantFrom<unknown>(null, 42, "options", [], true),
      fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(options, fc.constantFrom("generate", "stream", "chat", "streamChat", "one-shot"), async (raw, entry) => {
        // Keep each call short: a valid maxNewTokens is capped at 4 (invalid values are kept to be refused).
        const opts =
          raw !== null && typeof raw === "object" && !Array.isArray(raw)
            ? {
                ...raw,
                ...(typeof (raw as { maxNewTokens?: unknown }).maxNewTokens !== "number" ||
                (raw as { maxNewTokens: number }).maxNewTokens > 4
                  ? { maxNewTokens: 4 }
                  : {}),
                ...((raw as { numBeams?: unknown }).numBeams !== undefined ? { numBeams: 2 } : {}),
              }
            : raw;
        const messages = [{ role: "user", content: "Hi" }];
        const outcome = await settle(async () => {
          if (entry === "generate") return llama.generate("Hello", opts as never);
          if (entry === "stream") return llama.stream("Hello", opts as never).result;
          if (entry === "chat") return llama.chat(messages, { chatTemplate: CHATML, ...(opts as object) } as never);
          if (entry === "streamChat")
            return llama.streamChat(
              messages,
              opts === null || typeof opts !== "object" ? (opts as never) : ({ chatTemplate: CHATML, ...opts } as never),
            ).result;
          return generate(
            "Hello",
            opts !== null && typeof opts === "object" && !Array.isArray(opts) ? ({ ...opts, model: llama } as never) : (opts as never),
          );
        });
        if (outcome.ok) expect(FINISH).toContain(outcome.value.finishReason);
      }),
      {
        seed: FUZZ_SEED,
        numRuns: 150,
        examples: [
          [null, "generate"],
          [null, "chat"],
          [{ stop: null }, "generate"],
          [{ onToken: 1 }, "generate"],
        ],
      },
    );
  });

  it("a model option that is neither a path nor a generator is an InputError, for every one-shot function", async () => {
    for (const model of [42, {}, [], { generate: "no" }, true]) {
      await expect(generate("Hi", { model: model as never })).rejects.toBeInstanceOf(InputError);
      await expect(stream("Hi", { model: model as never }).result).rejects.toBeInstanceOf(InputError);
      await expect(chat([{ role: "user", content: "Hi" }], { model: model as never })).rejects.toBeInstanceOf(InputError);
      await expect(streamChat([{ role: "user", content: "Hi" }], { model: model as never }).result).rejects.toBeInstanceOf(InputError);
    }
  });
});

describe("huge inputs", () => {
  it("a 1 MB prompt is an InputError naming the context; with truncatePrompt 'left' a long one generates", async () => {
    const big = bigText(1_000_000);
    await expect(llama.generate(big, { maxNewTokens: 2 })).rejects.toThrow(/exceeds the model's context of 2048 tokens/);
    const result = await llama.generate(big.slice(0, 100_000), { maxNewTokens: 2, truncatePrompt: "left", eosTokenId: [] });
    expect(result.tokenIds).toHaveLength(2);
    expect(result.metrics.promptTokens).toBe(2046);
  });

  it("10,000 prompts in one call: one result per prompt, in order, equal to single calls", async () => {
    const wide = await createGenerator(fixture("llama"), { load: { threads: 1 }, batching: { maxSequences: 1024 } });
    const prompts = Array.from({ length: 10_000 }, (_, i) => `Prompt ${i % 97} 😀`);
    const results = await wide.generate(prompts, { maxNewTokens: 1, eosTokenId: [] });
    expect(results).toHaveLength(10_000);
    for (const i of [0, 4_242, 9_999]) {
      expect(results[i]?.tokenIds).toEqual((await llama.generate(prompts[i] as string, { maxNewTokens: 1, eosTokenId: [] })).tokenIds);
    }
    expect(wide.batchStats()).toEqual({ running: 0, queued: 0 });
    await wide.dispose();
  }, 300_000);
});
