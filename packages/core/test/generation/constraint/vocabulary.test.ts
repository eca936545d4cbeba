import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedModel } from "../../../src/index.js";
import { BYTE_TO_UNICODE } from "../../../src/internal.js";
import { decoderFixture, firstSequence, generateIds } from "../engine-helpers.js";

let gpt2: LoadedModel;
let llama: LoadedModel;
beforeAll(async () => {
  [gpt2, llama] = await Promise.all([decoderFixture("gpt2"), decoderFixture("llama")]);
});
afterAll(async () => {
  await gpt2.dispose();
  await llama.dispose();
});

describe("the vocabulary handed to the grammar engine", () => {
  it("GPT-2: byte-level BPE strings by id, the end-of-text token as special", () => {
    const vocab = gpt2.tokenizer.vocabulary();
    expect(vocab.encoding).toBe("byte_level");
    expect(vocab.tokens).toHaveLength(50257);
    expect(vocab.tokens[gpt2.tokenizer.tokenToId("Ġthe") as number]).toBe("Ġthe");
    expect(vocab.tokens[50256]).toBe("");
    expect(vocab.specialIds).toEqual([50256]);
  });

  it("GPT-2's byte-to-unicode table: 256 distinct characters, printable bytes as themselves, space as Ġ", () => {
    expect(new Set(BYTE_TO_UNICODE).size).toBe(256);
    expect(BYTE_TO_UNICODE[0x41]).toBe("A");
    expect(BYTE_TO_UNICODE[0x20]).toBe("Ġ");
    expect(BYTE_TO_UNICODE[0x0a]).toBe("Ċ");
  });

  it("T5's SentencePiece vocabulary: ▁ conventions, a prefix space, special tokens empty", () => {
    const vocab = llama.tokenizer.vocabulary();
    expect(vocab.encoding).toBe("byte_fallback");
    expect(vocab.prependSpace).toBe(true);
    expect(vocab.tokens[0]).toBe("");
    expect(vocab.tokens[llama.tokenizer.tokenToId("▁the") as number]).toBe("▁the");
  });

  it("multi-byte characters split over byte-level tokens are generated whole (regex é+ and 日本 on GPT-2)", async () => {
    const ids = (await gpt2.tokenizer.encode("Text:")).ids;
    for (const pattern of ["é{2,4}", "(日本|中国)語"]) {
      const sequence = firstSequence(
        await generateIds(gpt2, [ids], { responseFormat: { type: "regex", pattern }, doSample: true, seed: 1, maxNewTokens: 12 }),
      );
      expect(sequence.finishReason).toBe("stop");
      expect(sequence.text).toMatch(new RegExp(`^(?:${pattern})$`, "u"));
    }
  });

  it("SentencePiece spaces: a regex with words and spaces is generated exactly on the llama fixture", async () => {
    const ids = (await llama.tokenizer.encode("Say:")).ids;
    for (let seed = 0; seed < 4; seed++) {
      const sequence = firstSequence(
        await generateIds(llama, [ids], {
          responseFormat: { type: "regex", pattern: "(the|a) (cat|dog) (sat|ran)" },
          doSample: true,
          seed,
          maxNewTokens: 12,
        }),
      );
      expect(sequence.finishReason).toBe("stop");
      expect(sequence.text).toMatch(/^(the|a) (cat|dog) (sat|ran)$/);
    }
  });
});
