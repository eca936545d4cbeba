import { fixture } from "@proj/testing";
import { Tokenizer, readTokenizerConfig } from "@proj/core";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { splitSentences } from "../src/index.js";
import { chunkText, packPieces } from "../src/summarize/chunks.js";

describe("splitSentences", () => {
  it("cuts after terminal punctuation and at blank lines, keeping everything", () => {
    expect(splitSentences('It rained. We stayed in!\n\nNext day... "Really?" she asked.')).toEqual([
      "It rained.",
      "We stayed in!",
      "Next day...",
      '"Really?"',
      "she asked.",
    ]);
    expect(splitSentences("No stop at the end")).toEqual(["No stop at the end"]);
    expect(splitSentences("Version 2.5 is out. Yes")).toEqual(["Version 2.5 is out.", "Yes"]);
    expect(splitSentences("第一句。第二句！")).toEqual(["第一句。", "第二句！"]);
    expect(splitSentences(" \n ")).toEqual([]);
  });

  it("does not cut after titles, abbreviations and initials, nor inside times and numbers (bug 6)", () => {
    expect(splitSentences("Dr. Smith arrived at 3 p.m. today. He left.")).toEqual(["Dr. Smith arrived at 3 p.m. today.", "He left."]);
    expect(splitSentences("Mr. and Mrs. Jones met Prof. Lee, e.g. at lunch. J. R. R. Tolkien wrote it.")).toEqual([
      "Mr. and Mrs. Jones met Prof. Lee, e.g. at lunch.",
      "J. R. R. Tolkien wrote it.",
    ]);
    expect(splitSentences("It costs 3.50 dollars. The U.S. Senate voted on Jan. 5.")).toEqual([
      "It costs 3.50 dollars.",
      "The U.S. Senate voted on Jan. 5.",
    ]);
  });

  it("a text many segmenter windows long splits into whole sentences that join back to it", () => {
    const sentence = "Dr. Ada Lovelace met Mr. Babbage at 3 p.m. in London 😀. ";
    const text = sentence.repeat(400); // ~22,000 characters
    const sentences = splitSentences(text);
    expect(sentences).toHaveLength(400);
    expect(new Set(sentences)).toEqual(new Set([sentence.trim()]));
    const long = `${"word ".repeat(3000)}end. Next.`; // one sentence longer than a window
    expect(splitSentences(long)).toEqual([long.slice(0, -6).trim(), "Next."]);
  });

  it("keeps hard-wrapped lines together and cuts at blank lines", () => {
    expect(splitSentences("The cat sat\non the mat. It purred\n\nA title without a stop\n\nThe end.")).toEqual([
      "The cat sat on the mat.",
      "It purred",
      "A title without a stop",
      "The end.",
    ]);
  });
});

describe("packPieces", () => {
  it("fills chunks in order up to the budget", () => {
    expect(
      packPieces(
        [
          ["A.", 3],
          ["B.", 4],
          ["C.", 2],
        ],
        6,
      ),
    ).toEqual([["A."], ["B.", "C."]]);
    expect(
      packPieces(
        [
          ["A.", 9],
          ["B.", 1],
        ],
        6,
      ),
    ).toEqual([["A."], ["B."]]);
  });
});

describe("chunkText", () => {
  let tokenizer: Tokenizer;
  beforeAll(async () => {
    const dir = fixture("t5");
    tokenizer = await Tokenizer.fromFile(join(dir, "tokenizer.json"), await readTokenizerConfig(join(dir, "tokenizer_config.json")));
  });

  it("every chunk fits the window with the prefix, and together they hold the whole text in order", async () => {
    const sentences = Array.from(
      { length: 120 },
      (_, i) =>
        `Sentence number ${i} says that the weather on day ${i} was ${i % 3 ? "fine" : "dreadful, with rain and wind all afternoon"}.`,
    );
    // One run-on "sentence" far longer than a window: it must be cut between tokens, not dropped.
    const runOn = Array.from({ length: 300 }, (_, i) => `word${i}`).join(" ");
    const text = `${sentences.slice(0, 60).join(" ")}\n\n${runOn}\n\n${sentences.slice(60).join(" ")}`;
    const chunks = await chunkText(tokenizer, text, "summarize: ", 128);
    expect(chunks.length).toBeGreaterThan(8);
    for (const chunk of chunks) expect((await tokenizer.encode(`summarize: ${chunk}`)).ids.length).toBeLessThanOrEqual(128);
    expect(chunks.join(" ").replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " "));
    // Whole sentences stay together.
    for (const sentence of sentences) expect(chunks.some((c) => c.includes(sentence))).toBe(true);
  });
});
