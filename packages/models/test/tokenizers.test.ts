import { createRequire } from "node:module";
import { loadOracle } from "@proj/testing";
import { describe, expect, it } from "vitest";
import { embeddedModelPath } from "../src/embedded.js";

const require = createRequire(import.meta.url);
const generation = embeddedModelPath("generation");
const translation = embeddedModelPath("translation-en-de");

describe("embedded byte-level BPE tokenizers", () => {
  it("load in the tokenizers binding and in transformers.js, with the same ids", async () => {
    const { Tokenizer } = require("tokenizers") as typeof import("tokenizers");
    const oracle = await loadOracle();
    const texts = ["A man in a blue shirt is standing on a ladder.", "Ein Mann mit einem Hut läuft über die Straße, 3 Kinder €!"];
    for (const dir of [generation as string, translation as string]) {
      const rust = Tokenizer.fromFile(`${dir}/tokenizer.json`);
      const js = await oracle.AutoTokenizer.from_pretrained(dir);
      for (const text of texts) {
        const ids = (await rust.encode(text)).getIds();
        expect(js.encode(text)).toEqual(ids);
        expect(await rust.decode(ids, true)).toBe(text);
      }
    }
  });
});
