import { fixture } from "@proj/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError, loadModel, type Tokenizer, padBatch } from "../src/index.js";

let bert: Tokenizer;
let gpt2: Tokenizer;
let t5: Tokenizer;

beforeAll(async () => {
  const load = async (name: Parameters<typeof fixture>[0]): Promise<Tokenizer> => {
    const model = await loadModel(fixture(name), { graphs: [] });
    return model.tokenizer;
  };
  [bert, gpt2, t5] = await Promise.all([load("bert-qa"), load("gpt2"), load("t5")]);
});

describe("character offsets index the original JavaScript string", () => {
  const text = "Héllo 😀 wörld, Café au lait 🇫🇷!";

  it("every non-special token's offsets slice the text it came from (emoji shift UTF-16 indexes)", async () => {
    for (const tokenizer of [bert, gpt2, t5]) {
      const enc = await tokenizer.encode(text);
      enc.offsets.forEach(([start, end], i) => {
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeLessThanOrEqual(text.length);
        expect(start).toBeLessThanOrEqual(end);
        if (enc.specialTokensMask[i] === 0 && enc.tokens[i] === "wörld") expect(text.slice(start, end)).toBe("wörld");
      });
    }
    const enc = await bert.encode(text);
    const world = enc.tokens.indexOf("world");
    expect(text.slice(...(enc.offsets[world] as [number, number]))).toBe("wörld");
    const cafe = enc.tokens.indexOf("cafe");
    expect(text.slice(...(enc.offsets[cafe] as [number, number]))).toBe("Café");
  });

  it("GPT-2's byte-level tokens map back to the exact words", async () => {
    const enc = await gpt2.encode(text);
    const pieces = enc.offsets.map(([s, e]) => text.slice(s, e));
    expect(pieces.join("")).toContain("wörld, Café au lait");
    const au = enc.tokens.indexOf("Ġau");
    expect(text.slice(...(enc.offsets[au] as [number, number]))).toBe(" au");
    const cafe = enc.tokens.indexOf("ĠCafÃ©");
    expect(text.slice(...(enc.offsets[cafe] as [number, number]))).toBe(" Café");
  });

  it("lone surrogates and NUL do not shift offsets", async () => {
    const weird = "a\uD800b\u0000 hello";
    const enc = await bert.encode(weird);
    const hello = enc.tokens.indexOf("hello");
    expect(weird.slice(...(enc.offsets[hello] as [number, number]))).toBe("hello");
  });
});

describe("sentence pairs and overflow windows", () => {
  it("a pair has segment ids 0/1 and offsets into each text", async () => {
    const question = "Where is the Eiffel tower?";
    const context = "The Eiffel tower is in Paris.";
    const enc = await bert.encode(question, { pair: context });
    expect(enc.tokens[0]).toBe("[CLS]");
    const paris = enc.tokens.indexOf("paris");
    expect(enc.sequenceIds[paris]).toBe(1);
    expect(enc.typeIds[paris]).toBe(1);
    expect(context.slice(...(enc.offsets[paris] as [number, number]))).toBe("Paris");
    const where = enc.tokens.indexOf("where");
    expect(enc.sequenceIds[where]).toBe(0);
    expect(question.slice(...(enc.offsets[where] as [number, number]))).toBe("Where");
  });

  it("encodeBatch with pairs gives each pair the same encoding as encode(text, { pair })", async () => {
    const texts = ["Where is the Eiffel tower?", "Who wrote it?"];
    const pairs = ["The Eiffel tower is in Paris.", "Ada Lovelace wrote the first program."];
    const batch = await bert.encodeBatch(texts, { pairs, maxLength: 12, truncation: "only_second" });
    for (const [i, text] of texts.entries()) {
      const one = await bert.encode(text, { pair: pairs[i] as string, maxLength: 12, truncation: "only_second" });
      expect(batch[i]?.ids).toEqual(one.ids);
      expect(batch[i]?.typeIds).toEqual(one.typeIds);
      expect(batch[i]?.offsets).toEqual(one.offsets);
    }
    expect(batch[0]?.ids.length).toBe(12);
  });

  it("windows over a long context keep the question, overlap by the stride, and cover every context token", async () => {
    const question = "What color is the fox?";
    const context = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} says the fox is brown.`).join(" ");
    const full = await bert.encode(context, { addSpecialTokens: false });
    const windows = await bert.encodeWindows(question, { pair: context, maxLength: 64, stride: 16 });
    expect(windows.length).toBeGreaterThan(5);
    const covered = new Set<number>();
    let previousEnd = -1;
    for (const window of windows) {
      expect(window.ids.length).toBeLessThanOrEqual(64);
      const contextTokens = window.offsets.filter((_, i) => window.sequenceIds[i] === 1);
      const first = contextTokens[0] as [number, number];
      if (previousEnd >= 0) expect(first[0]).toBeLessThan(previousEnd); // overlap
      previousEnd = (contextTokens.at(-1) as [number, number])[1];
      for (const [s] of contextTokens) covered.add(s);
      expect(window.tokens.filter((_, i) => window.sequenceIds[i] === 0)).toEqual(
        (await bert.encode(question, { addSpecialTokens: false })).tokens,
      );
    }
    for (const [s] of full.offsets) expect(covered.has(s)).toBe(true);
  });

  it("a stride as large as the window is an InputError", async () => {
    await expect(bert.encodeWindows("q", { pair: "c", maxLength: 16, stride: 16 })).rejects.toBeInstanceOf(InputError);
  });

  it("truncation cuts to maxLength with special tokens kept", async () => {
    const enc = await bert.encode("one two three four five six seven eight", { maxLength: 5 });
    expect(enc.tokens).toEqual(["[CLS]", "one", "two", "three", "[SEP]"]);
    const left = await bert.encode("one two three four five six seven eight", { maxLength: 5, truncationSide: "left" });
    expect(left.tokens).toEqual(["[CLS]", "six", "seven", "eight", "[SEP]"]);
  });

  it("concurrent calls with different truncation settings never mix them", async () => {
    const text = "a b c d e f g h i j k l m n o p";
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => bert.encode(text, { maxLength: 3 + (i % 5) })));
    results.forEach((r, i) => {
      expect(r.ids.length).toBe(3 + (i % 5));
    });
  });
});

describe("batches", () => {
  it("left padding lines up the last tokens, right padding the first", async () => {
    const encodings = await gpt2.encodeBatch(["Hello", "Hello there my friend"]);
    const left = padBatch(encodings, { padId: 50256, side: "left" });
    const width = left.dims[1];
    expect(left.dims[0]).toBe(2);
    expect(left.attentionMask[width - 1]).toBe(1n);
    expect(left.attentionMask[0]).toBe(0n);
    expect(left.starts[0]).toBe(width - (encodings[0]?.ids.length ?? 0));
    const right = padBatch(encodings, { padId: 50256 });
    expect(right.attentionMask[0]).toBe(1n);
    expect(right.attentionMask[width - 1]).toBe(0n);
  });

  it("non-string input is a typed InputError, not a crash", async () => {
    await expect(bert.encode(42 as unknown as string)).rejects.toBeInstanceOf(InputError);
    await expect(bert.encodeBatch(["ok", null as unknown as string])).rejects.toThrow(/texts\[1\]/);
  });
});

describe("streaming detokenizer", () => {
  const texts = ["Hello world, this is a test.", "Émojis 😀🎉 and ünïcödé — “quotes” ok", "日本語のテキストです。", "  spaces   kept  "];
  for (const [name, get] of [
    ["gpt2", () => gpt2],
    ["t5", () => t5],
    ["bert", () => bert],
  ] as const) {
    it(`${name}: deltas concatenate to the full decode, never with a broken character`, async () => {
      const tokenizer = get();
      for (const text of texts) {
        const ids = (await tokenizer.encode(text, { addSpecialTokens: false })).ids;
        const stream = tokenizer.streamDecoder();
        let joined = "";
        for (const id of ids) {
          const delta = await stream.push(id);
          expect(delta).not.toContain("\uFFFD");
          joined += delta;
        }
        joined += await stream.flush();
        expect(joined).toBe(await tokenizer.decode(ids));
      }
    });
  }
});
