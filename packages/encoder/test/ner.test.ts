import type { Tokenizer } from "@proj/core";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenClassifier, disposeCachedHandles, type Entity, ner, type TokenClassifier } from "../src/index.js";
import { aggregate, stitchWindows } from "../src/ner/aggregate.js";
import { gatherPreEntities } from "../src/ner/pre-entities.js";
import { fixtureTokenizer, oraclePipeline, tokenId } from "./support/helpers.js";
import { keywordNerModel } from "./support/keyword-models.js";

const model = fixture("bert-token-cls");
const texts = [
  "Ada Lovelace was born in London, England in 1815 and worked with Charles Babbage.",
  "Microsoft Corporation hired John Smith in Seattle.",
  "the quick brown fox jumps over the lazy dog",
];
const LABELS = { 0: "O", 1: "B-PER", 2: "I-PER", 3: "B-ORG", 4: "I-ORG", 5: "B-LOC", 6: "I-LOC", 7: "B-MISC", 8: "I-MISC" } as const;

let recognizer: TokenClassifier;
let tokenizer: Tokenizer;
beforeAll(async () => {
  recognizer = await createTokenClassifier(model, { load: { threads: 1 } });
  tokenizer = await fixtureTokenizer("bert-token-cls");
});
afterAll(async () => {
  await recognizer.dispose();
  await disposeCachedHandles();
});

type OracleToken = { entity?: string; entity_group?: string; score: number; word: string; index?: number };

describe("entities match transformers.js on the bert-token-cls fixture", () => {
  it('aggregation "none": the same tokens, labels, indexes, words and scores (1e-4)', async () => {
    const oracle = await oraclePipeline("token-classification", "bert-token-cls");
    for (const ignoreLabels of [undefined, [] as string[]]) {
      for (const text of texts) {
        const want = (await oracle(text, ignoreLabels ? { ignore_labels: ignoreLabels } : {})) as OracleToken[];
        const got = await recognizer.ner(text, ignoreLabels ? { ignoreLabels } : {});
        expect(got.map((e) => [e.entity, e.index, e.word])).toEqual(want.map((e) => [e.entity, e.index, e.word]));
        for (const [i, e] of got.entries()) expect(Math.abs(e.score - (want[i]?.score ?? Number.NaN))).toBeLessThan(1e-4);
        if (ignoreLabels) expect(got.length).toBeGreaterThan(5);
      }
    }
  });

  it('aggregation "simple": the same groups, words and mean scores (1e-4)', async () => {
    const oracle = await oraclePipeline("token-classification", "bert-token-cls");
    for (const text of texts) {
      // transformers.js drops ignored tokens before grouping; Python (and @proj/encoder) groups first, then drops
      // ignored groups. With nothing ignored the two agree, and dropping "O" groups afterwards is Python's result.
      const want = (await oracle(text, { aggregation_strategy: "simple", ignore_labels: [] })) as OracleToken[];
      const all = await recognizer.ner(text, { aggregation: "simple", ignoreLabels: [] });
      expect(all.map((e) => [e.entity, e.word])).toEqual(want.map((e) => [e.entity_group, e.word]));
      for (const [i, e] of all.entries()) expect(Math.abs(e.score - (want[i]?.score ?? Number.NaN))).toBeLessThan(1e-4);
      const filtered = await recognizer.ner(text, { aggregation: "simple" });
      expect(filtered).toEqual(all.filter((e) => e.entity !== "O"));
    }
  });

  it("offsets index the original text (emoji and accents included)", async () => {
    const text = "Café 😀 owner Zoë Müller moved to Zürich 🇨🇭 in 2020.";
    for (const aggregation of ["none", "simple", "first", "average", "max"] as const) {
      for (const e of await recognizer.ner(text, { aggregation, ignoreLabels: [] })) {
        const slice = text.slice(e.start, e.end);
        expect(slice.length).toBeGreaterThan(0);
        if (aggregation === "none" && !e.word.startsWith("##"))
          expect(slice.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")).toBe(e.word);
      }
    }
  });
});

/** Pre-entities of a real encoding with hand-built logits: token i gets the logits `rows[i]` (special tokens 0). */
async function handBuilt(text: string, rows: Record<string, number[]>) {
  const encoding = await tokenizer.encode(text);
  const logits = new Float32Array(encoding.ids.length * 9);
  for (const [i, token] of encoding.tokens.entries()) for (const [l, v] of (rows[token] ?? []).entries()) logits[i * 9 + l] = v;
  return gatherPreEntities(text, encoding, logits, 9, { continuingSubwordPrefix: "##", unkId: tokenizer.specialIds.unk });
}

/** Logits whose softmax over the 9 labels is exactly `probs` (given for some labels, the rest share what is left). */
function logitsFor(probs: Record<number, number>): number[] {
  const given = Object.values(probs).reduce((a, b) => a + b, 0);
  const restCount = 9 - Object.keys(probs).length;
  return Array.from({ length: 9 }, (_, l) => Math.log(probs[l] ?? (1 - given) / restCount));
}

describe("word aggregation (first, average, max) on hand-built logits", () => {
  // "Salesforce" is ["sales", "##force"]: the two tokens disagree, which the strategies resolve differently.
  const text = "Salesforce hired Ada";
  const rows = {
    sales: logitsFor({ 3: 0.5, 1: 0.3 }), // B-ORG 0.5, B-PER 0.3
    "##force": logitsFor({ 2: 0.7, 4: 0.2 }), // I-PER 0.7, I-ORG 0.2
    hired: logitsFor({ 0: 0.9 }),
    ada: logitsFor({ 1: 0.6 }),
  };

  it("the tokenizer splits the word as the test assumes, and ##force is a subword", async () => {
    const pre = await handBuilt(text, rows);
    expect(pre.map((p) => [p.word, p.isSubword])).toEqual([
      ["sales", false],
      ["##force", true],
      ["hired", false],
      ["ada", false],
    ]);
  });

  it("first: the word takes its first token's label (B-ORG 0.5)", async () => {
    const got = aggregate(await handBuilt(text, rows), "first", LABELS).map((e) => [e.entity, e.score, e.start, e.end]);
    expect(got[0]?.[0]).toBe("ORG");
    expect(got[0]?.[1]).toBeCloseTo(0.5, 6);
    expect(got[0]?.slice(2)).toEqual([0, 10]);
    expect(got.slice(1).map((g) => g[0])).toEqual(["O", "PER"]);
  });

  it("max: the word takes the label of its most confident token (I-PER 0.7)", async () => {
    const got = aggregate(await handBuilt(text, rows), "max", LABELS);
    expect(got[0]?.entity).toBe("PER");
    expect(got[0]?.score).toBeCloseTo(0.7, 6);
    expect([got[0]?.start, got[0]?.end]).toEqual([0, 10]);
  });

  it("average: the word takes the argmax of its tokens' mean probabilities (I-PER, not the first token's B-ORG)", async () => {
    const micro = [0.2 / 7, 0.3, 0.2 / 7, 0.5, 0.2 / 7, 0.2 / 7, 0.2 / 7, 0.2 / 7, 0.2 / 7];
    const soft = [0.1 / 7, 0.1 / 7, 0.7, 0.1 / 7, 0.2, 0.1 / 7, 0.1 / 7, 0.1 / 7, 0.1 / 7];
    const mean = micro.map((p, i) => (p + (soft[i] as number)) / 2);
    const best = mean.indexOf(Math.max(...mean));
    expect(best).toBe(2); // I-PER: (0.2/7 + 0.7) / 2 = 0.3643 beats B-ORG (0.5 + 0.1/7) / 2 = 0.2571
    const got = aggregate(await handBuilt(text, rows), "average", LABELS);
    expect(got[0]?.entity).toBe("PER");
    expect(got[0]?.score).toBeCloseTo(mean[2] as number, 6);
  });

  it("after word aggregation, B-/I- merging groups words: I-PER after B-PER continues, B-PER starts anew", async () => {
    const merged = await handBuilt("Ada Lovelace met Ada", {
      ada: logitsFor({ 1: 0.8 }),
      love: logitsFor({ 2: 0.6 }),
      "##lace": logitsFor({ 0: 0.9 }),
      met: logitsFor({ 0: 0.9 }),
    });
    const got = aggregate(merged, "first", LABELS).map((e) => [e.entity, e.start, e.end]);
    expect(got).toEqual([
      ["PER", 0, 12],
      ["O", 13, 16],
      ["PER", 17, 20],
    ]);
    const simple = aggregate(merged, "simple", LABELS).map((e) => [e.entity, e.start, e.end]);
    expect(simple).toEqual([
      ["PER", 0, 8],
      ["O", 8, 16],
      ["PER", 17, 20],
    ]);
    const scores = aggregate(merged, "first", LABELS).map((e) => e.score);
    expect(scores[0]).toBeCloseTo((0.8 + 0.6) / 2, 6);
  });

  it("two adjacent B- tags stay two entities", async () => {
    const pre = await handBuilt("Paris London", { paris: logitsFor({ 5: 0.9 }), london: logitsFor({ 5: 0.8 }) });
    expect(aggregate(pre, "simple", LABELS).map((e) => e.entity)).toEqual(["LOC", "LOC"]);
  });
});

describe("stitching the entities of overlapping windows", () => {
  const e = (start: number, end: number, score: number) => ({ start, end, score });
  it("keeps one of two identical entities, the longer of overlapping ones, and the more confident on ties", () => {
    expect(stitchWindows([e(0, 5, 0.5), e(0, 5, 0.6), e(10, 12, 0.9), e(10, 15, 0.4), e(20, 25, 0.3), e(22, 25, 0.99)])).toEqual([
      e(0, 5, 0.6),
      e(10, 15, 0.4),
      e(20, 25, 0.3),
    ]);
  });
});

describe("long texts are windowed and stitched", () => {
  let kw: string;
  let expected: (text: string) => Array<Pick<Entity, "entity" | "start" | "end" | "word">>;
  beforeAll(async () => {
    const id = (t: string) => tokenId(tokenizer, t);
    kw = keywordNerModel(
      new Map([
        [id("john"), 1],
        [id("smith"), 2],
        [id("paris"), 5],
        [id("google"), 3],
      ]),
    );
    expected = (text) => {
      const out: Array<Pick<Entity, "entity" | "start" | "end" | "word">> = [];
      for (const m of text.matchAll(/John Smith|Paris|Google/g)) {
        const entity = m[0] === "Paris" ? "LOC" : m[0] === "Google" ? "ORG" : "PER";
        out.push({ entity, start: m.index, end: m.index + m[0].length, word: m[0].toLowerCase() });
      }
      return out;
    };
  });

  const longText = Array.from({ length: 150 }, (_, i) =>
    i % 7 === 3 ? `In year ${i} John Smith flew from Paris to work at Google.` : `Line ${i} says nothing much about anybody at all.`,
  ).join(" ");

  it("a text of ~2,000 tokens returns every entity once, with offsets into the text", async () => {
    const length = (await tokenizer.encode(longText)).ids.length;
    expect(length).toBeGreaterThan(1500);
    const got = await ner(longText, { model: kw, aggregation: "simple" });
    expect(got.map(({ entity, start, end, word }) => ({ entity, start, end, word }))).toEqual(expected(longText));
  });

  it("small windows (many boundaries, entities cut in two) still give every entity once", async () => {
    for (const [maxLength, stride] of [
      [16, 4],
      [24, 8],
      [40, 0],
    ] as const) {
      for (const aggregation of ["simple", "first", "average", "max"] as const) {
        const got = await ner(longText, { model: kw, aggregation, maxLength, stride });
        expect(
          got.map(({ entity, start, end, word }) => ({ entity, start, end, word })),
          `${aggregation} ${maxLength}/${stride}`,
        ).toEqual(expected(longText));
      }
      const tokens = await ner(longText, { model: kw, maxLength, stride });
      const starts = tokens.map((t) => t.start);
      expect(new Set(starts).size).toBe(starts.length);
      for (const t of tokens) expect(longText.slice(t.start, t.end).toLowerCase()).toBe(t.word);
    }
  });

  it("the real fixture on a long text: every token once with ignoreLabels [], in order, none overlapping", async () => {
    const got = await recognizer.ner(longText, { ignoreLabels: [] });
    const full = await tokenizer.encode(longText, { addSpecialTokens: false });
    expect(got.map((e) => [e.start, e.end])).toEqual(full.offsets);
  });
});
