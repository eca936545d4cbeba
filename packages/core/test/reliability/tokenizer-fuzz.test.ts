import { FUZZ_SEED, fixture, hostileText, loneSurrogate, notText } from "@proj/testing";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type Encoding, InputError, loadModel, type Tokenizer } from "../../src/index.js";

/**
 * Property-based fuzzing of the tokenizer wrapper: offsets must index the JavaScript string the caller passed
 * (UTF-16), whatever the text holds: lone surrogates, NUL, astral characters, combining marks, RTL, zero-width.
 */

const NAMES = ["bert-seq-cls", "gpt2", "llama", "t5", "bart"] as const;
const tokenizers = new Map<string, Tokenizer>();

beforeAll(async () => {
  for (const name of NAMES) tokenizers.set(name, (await loadModel(fixture(name), { graphs: [] })).tokenizer);
});

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** True when `at` falls between the two halves of a valid surrogate pair. */
function splitsPair(text: string, at: number): boolean {
  return at > 0 && at < text.length && isHigh(text.charCodeAt(at - 1)) && isLow(text.charCodeAt(at));
}

/** Offsets of the tokens of `sequence` (0 = text, 1 = pair) that fall outside `text`, run backwards, or cut a surrogate pair. */
function badOffsets(encoding: Encoding, text: string, sequence: number): string[] {
  const bad: string[] = [];
  encoding.offsets.forEach(([start, end], i) => {
    if (encoding.sequenceIds[i] !== sequence) return;
    if (!(start >= 0 && start <= end && end <= text.length) || splitsPair(text, start) || splitsPair(text, end)) {
      bad.push(`token ${i} "${encoding.tokens[i]}" at [${start}, ${end}) of a text of length ${text.length}`);
    }
  });
  return bad;
}

function expectOffsetsInside(encoding: Encoding, text: string, sequence: number): void {
  expect(badOffsets(encoding, text, sequence)).toEqual([]);
}

describe("tokenizer offsets under hostile text", () => {
  for (const name of NAMES) {
    it(`${name}: offsets of any text stay inside it and never cut a surrogate pair`, async () => {
      const tokenizer = tokenizers.get(name) as Tokenizer;
      await fc.assert(
        fc.asyncProperty(hostileText(), async (text) => {
          const encoding = await tokenizer.encode(text);
          expect(encoding.ids.length).toBe(encoding.offsets.length);
          expectOffsetsInside(encoding, text, 0);
          expect(typeof (await tokenizer.decode(encoding.ids))).toBe("string");
        }),
        { seed: FUZZ_SEED, numRuns: 60 },
      );
    });
  }

  it("a lone surrogate or NUL before a word does not shift the word's offsets", async () => {
    const word = "Lovelace";
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(loneSurrogate(), fc.constantFrom("\u0000", "😀", "\u200B", "e\u0301", "İ", "\uFEFF")), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.constantFrom(...NAMES),
        async (noise, name) => {
          const text = `Ada ${noise.join("")} ${word}`;
          const start = text.length - word.length;
          const encoding = await (tokenizers.get(name) as Tokenizer).encode(text, { addSpecialTokens: false });
          const covering = encoding.offsets.filter(([s, e]) => e > start && s < text.length);
          // The word's tokens cover exactly the word (a leading-space token may start one character early).
          expect(Math.min(...covering.map(([s]) => s))).toBeGreaterThanOrEqual(start - 1);
          expect(Math.max(...covering.map(([, e]) => e))).toBe(text.length);
          const sliced = text.slice(Math.max(start, Math.min(...covering.map(([s]) => s))), text.length);
          expect(sliced).toBe(word);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 60 },
    );
  });

  it("pairs and overflow windows keep the pair's offsets inside the pair", async () => {
    const tokenizer = tokenizers.get("bert-seq-cls") as Tokenizer;
    await fc.assert(
      fc.asyncProperty(hostileText(6), hostileText(60), async (question, context) => {
        const encoding = await tokenizer.encode(question, { pair: context });
        expectOffsetsInside(encoding, question, 0);
        expectOffsetsInside(encoding, context, 1);
        const windows = await tokenizer.encodeWindows(question, { pair: context, maxLength: 64, stride: 16 }).catch((e: unknown) => e);
        if (windows instanceof InputError) return; // a question too long for the window is refused, and says so
        for (const window of windows as Encoding[]) {
          expect(window.ids.length).toBeLessThanOrEqual(64);
          expectOffsetsInside(window, context, 1);
        }
      }),
      { seed: FUZZ_SEED, numRuns: 40 },
    );
  });

  it("anything that is not a string is an InputError, never a crash in the native binding", async () => {
    const tokenizer = tokenizers.get("gpt2") as Tokenizer;
    await fc.assert(
      fc.asyncProperty(notText(), async (value) => {
        await expect(tokenizer.encode(value as string)).rejects.toBeInstanceOf(InputError);
        if (value !== undefined) await expect(tokenizer.encode("ok", { pair: value as string })).rejects.toBeInstanceOf(InputError);
        await expect(tokenizer.encodeBatch(["ok", value as string])).rejects.toBeInstanceOf(InputError);
        if (typeof value !== "boolean" && value !== undefined) {
          await expect(tokenizer.encode("ok", { addSpecialTokens: value as boolean })).rejects.toBeInstanceOf(InputError);
        }
      }),
      { seed: FUZZ_SEED, numRuns: 40 },
    );
  });

  it("a 1 MB text and 10,000 texts tokenize with offsets inside each text", async () => {
    const tokenizer = tokenizers.get("bert-seq-cls") as Tokenizer;
    const big = "Ada 😀 Lovelace\u0000 wrote \uD800 notes. ".repeat(30_000).slice(0, 1_000_000);
    const encoding = await tokenizer.encode(big, { maxLength: 512 });
    expect(encoding.ids.length).toBe(512);
    expectOffsetsInside(encoding, big, 0);
    const texts = Array.from({ length: 10_000 }, (_, i) => `text ${i} 😀\uDC00 ${"x".repeat(i % 50)}`);
    const encodings = await tokenizer.encodeBatch(texts);
    expect(encodings).toHaveLength(10_000);
    expect(encodings.flatMap((e, i) => badOffsets(e, texts[i] as string, 0))).toEqual([]);
  });
});
