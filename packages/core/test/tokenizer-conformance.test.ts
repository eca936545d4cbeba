import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOracle, realSentences, SHARED_MISSING, sharedDataDir } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { parseTokenizerConfig, readJsonObject, Tokenizer } from "../src/index.js";

const dataDir = sharedDataDir();
if (!dataDir) console.warn(`tokenizer conformance: ${SHARED_MISSING}`);

const temp = mkdtempSync(join(tmpdir(), "proj-tok-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/**
 * A folder transformers.js can read: the real tokenizer files from ../shared, with a minimal
 * tokenizer_config.json where the shared folder has none (t5).
 */
async function tokenizerFolder(name: string): Promise<{ dir: string; tokenizer: Tokenizer }> {
  const src = join(dataDir as string, "tokenizers", name);
  const dir = join(temp, name);
  cpSync(src, dir, { recursive: true });
  let configPath = join(dir, "tokenizer_config.json");
  try {
    await readJsonObject(configPath);
  } catch {
    configPath = join(dir, "tokenizer_config.json");
    writeFileSync(
      configPath,
      JSON.stringify({ tokenizer_class: "T5Tokenizer", eos_token: "</s>", pad_token: "<pad>", unk_token: "<unk>", model_max_length: 512 }),
    );
  }
  const config = parseTokenizerConfig(await readJsonObject(configPath));
  return { dir, tokenizer: await Tokenizer.fromFile(join(dir, "tokenizer.json"), config) };
}

describe.skipIf(!dataDir)("token ids are identical to transformers.js on real sentences", () => {
  const sentences = dataDir ? realSentences(dataDir, 2000) : [];

  it("uses at least 2,000 real sentences from ../shared/data", () => {
    expect(sentences.length).toBe(2000);
    expect(new Set(sentences).size).toBeGreaterThan(1900);
  });

  for (const name of ["bert-base-uncased", "gpt2", "t5"]) {
    it(`${name}: encode (with special tokens) and decode match transformers.js`, async () => {
      const { dir, tokenizer } = await tokenizerFolder(name);
      const oracle = await loadOracle();
      const reference = await oracle.AutoTokenizer.from_pretrained(dir);
      const ours = await tokenizer.encodeBatch(sentences);
      let mismatches = 0;
      const examples: string[] = [];
      sentences.forEach((sentence, i) => {
        const want = reference.encode(sentence);
        const got = ours[i]?.ids ?? [];
        if (want.length !== got.length || want.some((id, j) => id !== got[j])) {
          mismatches++;
          if (examples.length < 3) examples.push(`${JSON.stringify(sentence)}\n  want ${want}\n  got  ${got}`);
        }
      });
      expect(examples.join("\n")).toBe("");
      expect(mismatches).toBe(0);

      // Decoding the first 200 back to text agrees too.
      for (let i = 0; i < 200; i++) {
        const ids = ours[i]?.ids ?? [];
        expect(await tokenizer.decode(ids)).toBe(reference.decode(ids, { skip_special_tokens: true }));
      }
    }, 120_000);
  }
});
