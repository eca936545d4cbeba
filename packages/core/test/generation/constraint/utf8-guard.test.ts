import { fixture } from "@proj/testing";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedModel, loadModel } from "../../../src/index.js";
import { compileResponseFormat, createRng } from "../../../src/internal.js";
import { Utf8Guard } from "../../../src/generation/constraint/utf8-guard.js";

/** Constrained output stays valid UTF-8: XGrammar alone lets invalid byte sequences through a byte-level vocabulary. */

let gpt2: LoadedModel;
beforeAll(async () => {
  gpt2 = await loadModel(fixture("gpt2"), { threads: 1 });
});
afterAll(() => gpt2.dispose());

/** GPT-2's single-byte tokens by byte value (its byte-to-character table). */
function byteTokens(model: LoadedModel): number[] {
  const ids: number[] = [];
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    ids[b] = model.tokenizer.tokenToId(String.fromCharCode(printable ? b : 256 + shifted++)) as number;
  }
  return ids;
}

const isSet = (bits: Int32Array, id: number): boolean => ((bits[id >> 5] as number) & (1 << (id & 31))) !== 0;

describe("the UTF-8 guard", () => {
  it("clears the tokens that would make invalid UTF-8 from where a row stands", () => {
    const guard = Utf8Guard.of(gpt2.tokenizer.vocabulary());
    const bytes = byteTokens(gpt2);
    const all = () => new Int32Array(Math.ceil(gpt2.tokenizer.vocabSize / 32)).fill(-1);
    const start = all();
    guard.restrict(start, guard.start);
    for (const bad of [0xf6, 0xc0, 0xc1, 0xf5, 0xff, 0x80, 0xbf]) expect(isSet(start, bytes[bad] as number), bad.toString(16)).toBe(false);
    for (const good of [0x41, 0xc3, 0xe0, 0xed, 0xf0, 0xf4]) expect(isSet(start, bytes[good] as number), good.toString(16)).toBe(true);
    expect(isSet(start, gpt2.tokenizer.tokenToId("Hello") as number)).toBe(true);
    // After E0 the next byte must be A0-BF (no overlong forms); after ED, 80-9F (no surrogates); after F4, 80-8F.
    for (const [lead, ok, bad] of [
      [0xe0, 0xa0, 0x9f],
      [0xed, 0x9f, 0xa0],
      [0xf4, 0x8f, 0x90],
      [0xc3, 0xbf, 0x41],
    ] as const) {
      const state = guard.advance(guard.start, bytes[lead] as number);
      expect(state?.need).toBeGreaterThan(0);
      const mid = all();
      guard.restrict(mid, state ?? guard.start);
      expect(isSet(mid, bytes[ok] as number)).toBe(true);
      expect(isSet(mid, bytes[bad] as number)).toBe(false);
      expect(isSet(mid, gpt2.tokenizer.tokenToId("Hello") as number)).toBe(false);
    }
  });

  it("random walks through a JSON schema, leaning on single bytes, always decode as UTF-8 and validate", async () => {
    const schema = {
      type: "object",
      properties: { name: { type: "string", maxLength: 6 }, tags: { type: "array", items: { type: "string", maxLength: 3 }, maxItems: 2 } },
      required: ["name", "tags"],
      additionalProperties: false,
    };
    const grammar = await compileResponseFormat(gpt2.tokenizer, { type: "json_schema", schema });
    const validate = new Ajv().compile(schema);
    const bytes = byteTokens(gpt2);
    const { tokens } = gpt2.tokenizer.vocabulary();
    const byteOf = new Map(bytes.map((id, b) => [tokens[id] as string, b]));
    const eos = gpt2.config.eosTokenIds;
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const rng = createRng(12345);
    const logits = new Float32Array(gpt2.config.vocabSize ?? gpt2.tokenizer.vocabSize);
    let finished = 0;
    let multiByte = 0;
    for (let walk = 0; walk < 60; walk++) {
      const matcher = await grammar.matcher(eos);
      const ids: number[] = [];
      for (let step = 0; step < 80 && !matcher.terminated; step++) {
        logits.fill(0);
        await matcher.mask(logits);
        const allowed: number[] = [];
        for (let i = 0; i < logits.length; i++) if (logits[i] === 0) allowed.push(i);
        const singles = bytes.filter((id) => logits[id] === 0 && id >= 0);
        const pool = singles.length > 0 && rng.next() < 0.6 ? singles : allowed;
        const token = pool[Math.floor(rng.next() * pool.length)] as number;
        expect(matcher.accept(token)).toBe(true);
        if (!eos.includes(token)) ids.push(token);
      }
      matcher.dispose();
      const text = await gpt2.tokenizer.decode(ids, { skipSpecialTokens: true });
      // The raw bytes: each token's characters mapped back through the byte table (a character is a one-byte token).
      const raw = Uint8Array.from(ids.flatMap((id) => [...(tokens[id] ?? "")].map((ch) => byteOf.get(ch) as number)));
      expect(() => decoder.decode(raw)).not.toThrow();
      if ([...text].some((ch) => (ch.codePointAt(0) as number) > 0x7f)) multiByte++;
      if (!text.endsWith("}")) continue;
      expect(validate(JSON.parse(text)), text).toBe(true);
      finished++;
    }
    expect(finished).toBeGreaterThan(20);
    expect(multiByte).toBeGreaterThan(5); // the walks did write multi-byte characters
  });
});
