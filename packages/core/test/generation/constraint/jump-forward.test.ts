import { fixture } from "@proj/testing";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DecodingOptions, type GeneratedSequence, type LoadedModel, loadModel, type TokenEvent } from "../../../src/index.js";
import { CausalRunner, ContinuousBatcher, type DecoderRunner, PrefixCache } from "../../../src/internal.js";
import { batchRequest } from "../engine-helpers.js";

/** Jump-forward decoding: grammar-forced text fed in one pass; outputs valid, neighbours in the batch unchanged. */

const SCHEMA = {
  type: "object",
  properties: {
    customer_identifier: { type: "integer", minimum: 0, maximum: 99 },
    preferred_contact_channel: { enum: ["email", "phone"] },
    subscription_is_active: { type: "boolean" },
  },
  required: ["customer_identifier", "preferred_contact_channel", "subscription_is_active"],
  additionalProperties: false,
};
/** The llama fixture has T5's vocabulary, which cannot spell "{": an array of long enum strings it can. */
const LIST = {
  type: "array",
  items: { enum: ["international", "domestic", "undeliverable"] },
  minItems: 1,
  maxItems: 3,
};
const json: DecodingOptions = { responseFormat: { type: "json_schema", schema: SCHEMA }, maxNewTokens: 60 };
const formats = {
  gpt2: { schema: SCHEMA, options: json },
  llama: { schema: LIST, options: { responseFormat: { type: "json_schema", schema: LIST }, maxNewTokens: 60 } as DecodingOptions },
};

const names = ["gpt2", "llama"] as const;
const loaded = new Map<string, { model: LoadedModel; runner: CausalRunner }>();
beforeAll(async () => {
  for (const name of names) {
    const model = await loadModel(fixture(name), { threads: 1 });
    const runner = new CausalRunner(model.session("model"), model.config, {
      padTokenId: model.config.padTokenId ?? model.tokenizer.specialIds.pad ?? 0,
    });
    loaded.set(name, { model, runner });
  }
});
afterAll(async () => {
  for (const { model } of loaded.values()) await model.dispose();
});

/** The runner, counting its forward passes after the prefill. */
function counting(runner: CausalRunner): DecoderRunner & { passes: number } {
  const counted = {
    passes: 0,
    stepsTokenRuns: runner.stepsTokenRuns,
    prefill: (...args: Parameters<CausalRunner["prefill"]>) => runner.prefill(...args),
    step: (...args: Parameters<CausalRunner["step"]>) => {
      counted.passes++;
      return runner.step(...args);
    },
    stepTokens: (...args: Parameters<CausalRunner["stepTokens"]>) => {
      counted.passes++;
      return runner.stepTokens(...args);
    },
  };
  return counted;
}

const request = batchRequest;

describe.each(names)("%s: jump-forward decoding", (name) => {
  it("every output is valid JSON of the schema, with fewer forward passes than tokens (greedy and 8 seeds)", async () => {
    const { model, runner } = loaded.get(name) as { model: LoadedModel; runner: CausalRunner };
    const { schema, options: format } = formats[name];
    const validate = new Ajv().compile(schema);
    let tokens = 0;
    let passes = 0;
    for (const seed of [undefined, 1, 2, 3, 4, 5, 6, 7, 8]) {
      const counted = counting(runner);
      const options = { ...format, jumpForward: true, ...(seed === undefined ? {} : { doSample: true, seed }) };
      const events: TokenEvent[] = [];
      const [sequence] = await new ContinuousBatcher(counted).submit(
        await request(model, "Record:", options, { onToken: (e) => events.push(e) }),
      );
      const s = sequence as GeneratedSequence;
      expect(s.finishReason, s.text).toBe("stop");
      expect(validate(JSON.parse(s.text)), s.text).toBe(true);
      expect(events.map((e) => e.text).join("")).toBe(s.text);
      expect(events.map((e) => e.tokenId)).toEqual(s.tokenIds);
      tokens += s.tokenIds.length;
      passes += counted.passes;
    }
    // The keys and punctuation are forced: on GPT-2's byte-level BPE most of them are fed without a pass each. A
    // SentencePiece vocabulary spells a text alone with a leading "▁", which the grammar refuses mid-string: no jumps.
    if (name === "gpt2") expect(passes).toBeLessThan(tokens * 0.75);
    else expect(passes).toBeLessThanOrEqual(tokens);
  });

  it("rows beside a jump-forward row (fed several tokens in one pass) decode exactly as alone", async () => {
    const { model, runner } = loaded.get(name) as { model: LoadedModel; runner: CausalRunner };
    const { schema, options: format } = formats[name];
    const specs: [string, DecodingOptions][] = [
      ["Once upon a time", { maxNewTokens: 24, eosTokenId: [] }],
      ["Record:", { ...format, jumpForward: true }],
      ["The weather today", { maxNewTokens: 24, doSample: true, seed: 3, eosTokenId: [] }],
      ["Another record:", { ...format, jumpForward: true, doSample: true, seed: 11 }],
    ];
    const alone: GeneratedSequence[][] = [];
    for (const [text, options] of specs) alone.push(await new ContinuousBatcher(runner).submit(await request(model, text, options)));
    const batcher = new ContinuousBatcher(runner, { maxSequences: 8 });
    const together = await Promise.all(specs.map(async ([text, options]) => batcher.submit(await request(model, text, options))));
    expect(together[0]).toEqual(alone[0]);
    expect(together[2]).toEqual(alone[2]);
    const validate = new Ajv().compile(schema);
    for (const k of [1, 3]) expect(validate(JSON.parse(together[k]?.[0]?.text ?? "")), together[k]?.[0]?.text).toBe(true);
  });
});

describe("jump-forward and its neighbours in the engine", () => {
  it("a kept cache with gaps (rows fed different token counts) serves a later prefill exactly", async () => {
    const { model, runner } = loaded.get("gpt2") as { model: LoadedModel; runner: CausalRunner };
    const prefixCache = new PrefixCache({ blockTokens: 4 });
    const batcher = new ContinuousBatcher(runner, { prefixCache, maxSequences: 4 });
    let kept = 0;
    const [plain, forced] = await Promise.all([
      batcher.submit(await request(model, "Once upon a time", { maxNewTokens: 30, eosTokenId: [] })),
      batcher.submit(
        await request(
          model,
          "Record:",
          { ...json, jumpForward: true },
          {
            keepCache: (p) => {
              kept = p.length;
            },
          },
        ),
      ),
    ]);
    expect(plain?.[0]?.tokenIds).toHaveLength(30);
    const prompt = [...(await model.tokenizer.encode("Record:")).ids, ...(forced?.[0]?.tokenIds ?? [])];
    expect(kept).toBeGreaterThan(8);
    const hit = prefixCache.lookup(prompt);
    expect(hit?.length).toBe(Math.min(kept, Math.floor((prompt.length - 1) / 4) * 4));
    const full = await runner.prefill([{ inputIds: prompt }]);
    const reused = await runner.prefill([{ inputIds: prompt, past: hit }]);
    const a = full.logits[0] as Float32Array;
    const b = reused.logits[0] as Float32Array;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    expect(diff).toBeLessThan(1e-4);
  });

  it("maxNewTokens cuts inside forced text with finish reason length; jumpForward must be a boolean", async () => {
    const { model, runner } = loaded.get("gpt2") as { model: LoadedModel; runner: CausalRunner };
    const [cut] = await new ContinuousBatcher(runner).submit(
      await request(model, "Record:", { ...json, maxNewTokens: 5, jumpForward: true }),
    );
    expect(cut?.finishReason).toBe("length");
    expect(cut?.tokenIds).toHaveLength(5);
    await expect(request(model, "x", { ...json, jumpForward: "yes" as never })).rejects.toThrow(/jumpForward/);
  });
});
