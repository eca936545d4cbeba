import { join } from "node:path";
import { InputError, type Tokenizer } from "@proj/core";
import { fixture } from "@proj/testing";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenClassifier, disposeCachedHandles, ner, type TokenClassifier } from "../src/index.js";
import { aggregate, groupEntities, type RawEntity } from "../src/ner/aggregate.js";
import {
  decodeConstrained,
  detectTagScheme,
  isLegalSequence,
  labelList,
  splitChunkTag,
  type TagTransitions,
  tagTransitions,
} from "../src/ner/constrained-decoding.js";
import { gatherPreEntities, type PreEntity } from "../src/ner/pre-entities.js";
import { fixtureTokenizer, oraclePipeline } from "./support/helpers.js";

const model = fixture("bert-token-cls");
const LABELS = { 0: "O", 1: "B-PER", 2: "I-PER", 3: "B-ORG", 4: "I-ORG", 5: "B-LOC", 6: "I-LOC", 7: "B-MISC", 8: "I-MISC" } as const;
const NAMES = labelList(LABELS, 9);
const BIO = tagTransitions(NAMES, "auto");
/** Short texts: at most 6 tokens (so at most 6 words), for the exhaustive search over all 9^n label sequences. */
const SHORT = [
  "Ada met Bob in Rome",
  "Salesforce hired Ada",
  "John Smith visited Paris today",
  "the cat sat",
  "Paris",
  "Google and IBM merged",
];
const LONGER = [
  "Ada Lovelace was born in London, England in 1815 and worked with Charles Babbage.",
  "Microsoft Corporation hired John Smith in Seattle.",
  "the quick brown fox jumps over the lazy dog",
];

let recognizer: TokenClassifier;
let tokenizer: Tokenizer;
let session: ort.InferenceSession;
beforeAll(async () => {
  recognizer = await createTokenClassifier(model, { load: { threads: 1 } });
  tokenizer = await fixtureTokenizer("bert-token-cls");
  session = await ort.InferenceSession.create(join(model, "onnx", "model.onnx"));
});
afterAll(async () => {
  await recognizer.dispose();
  await session.release();
  await disposeCachedHandles();
});

/** The fixture's pre-entities of a text: its tokenizer, its ONNX graph run here alone (no padding, no windows). */
async function fixturePre(text: string): Promise<PreEntity[]> {
  const encoding = await tokenizer.encode(text);
  const n = encoding.ids.length;
  const tensor = (values: number[]) => new ort.Tensor("int64", BigInt64Array.from(values.map(BigInt)), [1, n]);
  const out = await session.run({
    input_ids: tensor([...encoding.ids]),
    attention_mask: tensor(new Array<number>(n).fill(1)),
    token_type_ids: tensor(new Array<number>(n).fill(0)),
  });
  const logits = (out.logits as ort.Tensor).data as Float32Array;
  return gatherPreEntities(text, encoding, logits, 9, { continuingSubwordPrefix: "##", unkId: tokenizer.specialIds.unk });
}

/** BIO legality written out independently of tagTransitions: I-X only right after B-X or I-X. */
function legalBio(labels: readonly string[]): boolean {
  return labels.every((label, k) => {
    if (!label.startsWith("I-")) return true;
    const previous = labels[k - 1];
    return previous === `B-${label.slice(2)}` || previous === label;
  });
}

/** The best legal sequence by trying every one of the `width^n` label sequences. */
function exhaustive(rows: readonly Float64Array[], legal: (labels: number[]) => boolean): { labels: number[]; score: number } {
  const width = rows[0]?.length ?? 0;
  let best = { labels: [] as number[], score: Number.NEGATIVE_INFINITY };
  const sequence = new Array<number>(rows.length).fill(0);
  for (let code = 0; code < width ** rows.length; code++) {
    let rest = code;
    for (let k = rows.length - 1; k >= 0; k--) {
      sequence[k] = rest % width;
      rest = Math.floor(rest / width);
    }
    if (!legal(sequence)) continue;
    const score = sequence.reduce((sum, l, k) => sum + Math.log((rows[k] as Float64Array)[l] as number), 0);
    if (score > best.score) best = { labels: [...sequence], score };
  }
  return best;
}

const pathScore = (rows: readonly Float64Array[], labels: readonly number[]): number =>
  labels.reduce((sum, l, k) => sum + Math.log((rows[k] as Float64Array)[l] as number), 0);

/** A seeded generator of probability rows (softmax of uniform logits in [-3, 3]). */
function randomRows(seed: number, n: number, width: number): Float64Array[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: n }, () => {
    const e = Array.from({ length: width }, () => Math.exp(6 * next() - 3));
    const sum = e.reduce((a, b) => a + b, 0);
    return Float64Array.from(e, (v) => v / sum);
  });
}

/** Word scores as "first" and "average" build them (a word: a token and its ## subwords). */
function wordRows(pre: readonly PreEntity[], strategy: "first" | "average"): { rows: Float64Array[]; words: PreEntity[][] } {
  const words: PreEntity[][] = [];
  for (const token of pre) {
    if (token.isSubword && words.length > 0) (words[words.length - 1] as PreEntity[]).push(token);
    else words.push([token]);
  }
  const rows = words.map((tokens) => {
    if (strategy === "first") return (tokens[0] as PreEntity).scores;
    return Float64Array.from({ length: 9 }, (_, l) => tokens.reduce((s, t) => s + (t.scores[l] as number), 0) / tokens.length);
  });
  return { rows, words };
}

describe("tag schemes and their transitions", () => {
  it("auto reads BIO from B-/I- labels and BIOES from E-/S- (or BILOU's L-/U-) labels", () => {
    expect(detectTagScheme(NAMES)).toBe("BIO");
    expect(detectTagScheme(["O", "B-PER", "I-PER", "E-PER", "S-PER"])).toBe("BIOES");
    expect(detectTagScheme(["O", "B-PER", "I-PER", "L-PER", "U-PER"])).toBe("BIOES");
    expect(BIO.scheme).toBe("BIO");
  });

  it("BIO: I-X only after B-X or I-X and never first; B-X and O anywhere", () => {
    const at = (a: string, b: string) => BIO.allowed[NAMES.indexOf(a)]?.[NAMES.indexOf(b)];
    expect([at("B-PER", "I-PER"), at("I-PER", "I-PER"), at("O", "B-PER"), at("I-LOC", "B-PER"), at("I-PER", "O")]).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([at("O", "I-PER"), at("B-LOC", "I-PER"), at("I-ORG", "I-PER")]).toEqual([false, false, false]);
    expect(NAMES.filter((_, j) => !BIO.start[j])).toEqual(["I-PER", "I-ORG", "I-LOC", "I-MISC"]);
    expect(BIO.end.every(Boolean)).toBe(true);
  });

  it("BIO without a B- label for a type (IO tagging): its I- label is free", () => {
    const t = tagTransitions(["O", "I-PER", "B-LOC", "I-LOC"], "BIO");
    expect(t.start).toEqual([true, true, true, false]);
    expect(t.allowed[0]).toEqual([true, true, true, false]);
  });

  it("IOB1: I-X starts or continues; B-X only right after an entity of type X", () => {
    const t = tagTransitions(NAMES, "IOB1");
    const at = (a: string, b: string) => t.allowed[NAMES.indexOf(a)]?.[NAMES.indexOf(b)];
    expect([at("O", "I-PER"), at("I-LOC", "I-PER"), at("I-PER", "B-PER"), at("B-PER", "B-PER")]).toEqual([true, true, true, true]);
    expect([at("O", "B-PER"), at("I-LOC", "B-PER")]).toEqual([false, false]);
    expect(NAMES.filter((_, j) => !t.start[j])).toEqual(["B-PER", "B-ORG", "B-LOC", "B-MISC"]);
  });

  it("BIOES: an entity is B- I-* E- or S-, closed before anything else starts, and closed at the end", () => {
    const names = ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC"];
    const t = tagTransitions(names, "auto");
    const legal = (labels: string[]) =>
      isLegalSequence(
        labels.map((l) => names.indexOf(l)),
        t,
      );
    expect(legal(["B-PER", "I-PER", "E-PER", "S-LOC", "O"])).toBe(true);
    expect(legal(["S-PER", "B-LOC", "E-LOC"])).toBe(true);
    expect(legal(["B-PER", "O"])).toBe(false); // not closed
    expect(legal(["B-PER", "E-LOC"])).toBe(false); // closed by another type
    expect(legal(["O", "E-PER"])).toBe(false); // closes nothing
    expect(legal(["B-PER", "I-PER"])).toBe(false); // ends open
    expect(legal(["I-PER"])).toBe(false);
  });

  it("grouping reads BIOES as BIO: S- starts, E- continues", () => {
    expect(splitChunkTag("S-PER")).toEqual({ bi: "B", tag: "PER" });
    expect(splitChunkTag("E-PER")).toEqual({ bi: "I", tag: "PER" });
    expect(splitChunkTag("U-LOC")).toEqual({ bi: "B", tag: "LOC" });
    expect(splitChunkTag("O")).toEqual({ bi: "I", tag: "O" });
  });
});

describe("Viterbi finds the best legal sequence (exhaustive search on short rows)", () => {
  const schemes: Array<[string, string[], "BIO" | "IOB1" | "BIOES"]> = [
    ["BIO", NAMES, "BIO"],
    ["IOB1", NAMES, "IOB1"],
    ["BIOES", ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC"], "BIOES"],
  ];
  for (const [name, names, scheme] of schemes) {
    it(`${name}: on 60 random rows of 1 to 5 positions, the decoded path is legal and scores as the best legal one`, () => {
      const t = tagTransitions(names, scheme);
      for (let seed = 1; seed <= 60; seed++) {
        const rows = randomRows(seed, 1 + (seed % 5), names.length);
        const got = decodeConstrained(rows, t);
        const best = exhaustive(rows, (labels) => isLegalSequence(labels, t));
        expect(isLegalSequence(got, t), `seed ${seed}`).toBe(true);
        expect(pathScore(rows, got)).toBeCloseTo(best.score, 10);
      }
    });
  }

  it("with every transition allowed it is the argmax of each position", () => {
    const free: TagTransitions = { ...BIO, start: BIO.start.map(() => true), allowed: BIO.allowed.map((r) => r.map(() => true)) };
    for (let seed = 1; seed <= 20; seed++) {
      const rows = randomRows(seed, 8, 9);
      expect(decodeConstrained(rows, free)).toEqual(rows.map((r) => r.indexOf(Math.max(...r))));
    }
  });

  it("an empty row decodes to nothing; a label set with no legal sequence keeps the argmax", () => {
    expect(decodeConstrained([], BIO)).toEqual([]);
    const onlyOpen = tagTransitions(["B-PER", "I-PER"], "BIOES"); // no E-/S-: nothing can close an entity
    const rows = [Float64Array.from([0.3, 0.7]), Float64Array.from([0.6, 0.4])];
    expect(decodeConstrained(rows, onlyOpen)).toEqual([1, 0]);
  });

  it("a label whose probability underflowed to 0 still decodes (floored log)", () => {
    // After B-PER, I-LOC (probability 1) is illegal; I-PER (1e-320, a subnormal) beats the labels at exactly 0.
    const rows = [Float64Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0]), Float64Array.from([0, 0, 1e-320, 0, 0, 0, 1, 0, 0])];
    expect(decodeConstrained(rows, BIO).map((l) => NAMES[l])).toEqual(["B-PER", "I-PER"]);
    // With every legal label at 0 they tie at the floor, and the lowest index wins: O, still not I-LOC.
    rows[1] = Float64Array.from([0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(decodeConstrained(rows, BIO).map((l) => NAMES[l])).toEqual(["B-PER", "O"]);
  });
});

describe('decoding "constrained" on the bert-token-cls fixture (random weights)', () => {
  it("argmax does emit illegal BIO sequences on these texts, so the constrained path has something to fix", async () => {
    let illegal = 0;
    for (const text of [...SHORT, ...LONGER]) {
      const tokens = await recognizer.ner(text, { ignoreLabels: [] });
      if (!legalBio(tokens.map((e) => e.entity))) illegal++;
    }
    expect(illegal).toBeGreaterThan(0);
  });

  it('"none": every token sequence is legal BIO, with the labels\' own probabilities as scores', async () => {
    for (const text of [...SHORT, ...LONGER]) {
      const tokens = await recognizer.ner(text, { decoding: "constrained", ignoreLabels: [] });
      const pre = await fixturePre(text);
      expect(tokens.map((e) => e.index)).toEqual(pre.map((p) => p.index));
      expect(legalBio(tokens.map((e) => e.entity)), text).toBe(true);
      for (const [k, e] of tokens.entries()) {
        const label = NAMES.indexOf(e.entity);
        expect(Math.abs(e.score - ((pre[k] as PreEntity).scores[label] as number))).toBeLessThan(1e-5);
      }
    }
  });

  it('"none" on texts of at most 6 tokens: the sequence score equals the best legal one by exhaustive search', async () => {
    for (const text of SHORT) {
      const pre = await fixturePre(text);
      expect(pre.length).toBeLessThanOrEqual(6);
      const rows = pre.map((p) => p.scores);
      const best = exhaustive(rows, (labels) => legalBio(labels.map((l) => NAMES[l] as string)));
      const got = aggregate(pre, "none", LABELS, BIO);
      expect(got.reduce((s, e) => s + Math.log(e.score), 0)).toBeCloseTo(best.score, 9);
      const viaHandle = await recognizer.ner(text, { decoding: "constrained", ignoreLabels: [] });
      expect(viaHandle.map((e) => e.entity)).toEqual(got.map((e) => e.entity));
      expect(viaHandle.reduce((s, e) => s + Math.log(e.score), 0)).toBeCloseTo(best.score, 4);
    }
  });

  for (const strategy of ["first", "average"] as const) {
    it(`"${strategy}" on texts of at most 6 words: the entities are those of the best legal word sequence`, async () => {
      for (const text of SHORT) {
        const pre = await fixturePre(text);
        const { rows, words } = wordRows(pre, strategy);
        const best = exhaustive(rows, (labels) => legalBio(labels.map((l) => NAMES[l] as string)));
        expect(pathScore(rows, decodeConstrained(rows, BIO))).toBeCloseTo(best.score, 10);
        const wordEntities = words.map(
          (tokens, k): RawEntity => ({
            entity: NAMES[best.labels[k] as number] as string,
            score: (rows[k] as Float64Array)[best.labels[k] as number] as number,
            start: (tokens[0] as PreEntity).start,
            end: (tokens[tokens.length - 1] as PreEntity).end,
            tokens,
          }),
        );
        const want = groupEntities(wordEntities).map((e) => [e.entity, e.start, e.end]);
        expect(aggregate(pre, strategy, LABELS, BIO).map((e) => [e.entity, e.start, e.end])).toEqual(want);
        const viaHandle = await recognizer.ner(text, { aggregation: strategy, decoding: "constrained", ignoreLabels: [] });
        expect(
          viaHandle.map((e) => [e.entity, e.start, e.end]),
          text,
        ).toEqual(want);
      }
    });
  }

  it("windows: a long text is decoded window by window, and stitched as with argmax (every token once, no overlap)", async () => {
    const text = Array.from({ length: 12 }, (_, i) => LONGER[i % LONGER.length]).join(" ");
    const tokens = await recognizer.ner(text, { decoding: "constrained", ignoreLabels: [], maxLength: 32, stride: 8 });
    const full = await tokenizer.encode(text, { addSpecialTokens: false });
    expect(tokens.map((e) => [e.start, e.end])).toEqual(full.offsets);
    const grouped = await recognizer.ner(text, { aggregation: "first", decoding: "constrained", maxLength: 32, stride: 8 });
    for (const [k, e] of grouped.entries()) expect(e.start).toBeGreaterThanOrEqual(grouped[k - 1]?.end ?? 0);
  });
});

describe('the default stays "argmax" (the Hugging Face pipeline)', () => {
  type OracleToken = { entity?: string; entity_group?: string; score: number; word: string; index?: number };

  it('no decoding and decoding "argmax" give the same entities for every aggregation', async () => {
    for (const aggregation of ["none", "simple", "first", "average", "max"] as const) {
      for (const text of LONGER) {
        const plain = await recognizer.ner(text, { aggregation, ignoreLabels: [] });
        expect(await recognizer.ner(text, { aggregation, ignoreLabels: [], decoding: "argmax" })).toEqual(plain);
      }
    }
  });

  it('decoding "argmax" equals transformers.js ("none" and "simple")', async () => {
    const oracle = await oraclePipeline("token-classification", "bert-token-cls");
    for (const text of LONGER) {
      const tokens = (await oracle(text, { ignore_labels: [] })) as OracleToken[];
      const got = await recognizer.ner(text, { decoding: "argmax", ignoreLabels: [] });
      expect(got.map((e) => [e.entity, e.index, e.word])).toEqual(tokens.map((e) => [e.entity, e.index, e.word]));
      for (const [i, e] of got.entries()) expect(Math.abs(e.score - (tokens[i]?.score ?? Number.NaN))).toBeLessThan(1e-4);
      const groups = (await oracle(text, { aggregation_strategy: "simple", ignore_labels: [] })) as OracleToken[];
      const simple = await recognizer.ner(text, { aggregation: "simple", decoding: "argmax", ignoreLabels: [] });
      expect(simple.map((e) => [e.entity, e.word])).toEqual(groups.map((e) => [e.entity_group, e.word]));
    }
  });
});

describe("BIOES labels under constrained decoding (hand-built rows)", () => {
  const names = ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC"];
  const id2label = Object.fromEntries(names.map((n, i) => [i, n]));
  const token = (start: number, probs: Record<string, number>): PreEntity => {
    const given = Object.values(probs).reduce((a, b) => a + b, 0);
    const rest = (1 - given) / (names.length - Object.keys(probs).length);
    const scores = Float64Array.from(names, (n) => probs[n] ?? rest);
    return { word: "w", id: 1, unknown: false, scores, start, end: start + 1, index: start / 2 + 1, isSubword: false };
  };

  it("B-/E- pairs and S- singles become one entity each; argmax leaves an unclosed B- and a stray E-", () => {
    const pre = [
      token(0, { "B-PER": 0.6 }),
      token(2, { "E-PER": 0.5, "I-LOC": 0.4 }),
      token(4, { "S-LOC": 0.7 }),
      token(6, { O: 0.5, "E-LOC": 0.45 }),
      token(8, { "S-PER": 0.4, "B-PER": 0.35 }),
    ];
    const got = aggregate(pre, "simple", id2label, tagTransitions(names, "auto"));
    expect(got.map((e) => [e.entity, e.start, e.end])).toEqual([
      ["PER", 0, 3],
      ["LOC", 4, 5],
      ["O", 6, 7],
      ["PER", 8, 9],
    ]);
  });
});

describe("decoding options are checked", () => {
  it("an unknown decoding or tag scheme is an InputError naming the option, on a handle and through ner()", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ decoding: "viterbi" }, /decoding must be one of "argmax", "constrained", got "viterbi"/],
      [{ decoding: 1 }, /decoding must be one of/],
      [{ decoding: "constrained", tagScheme: "BILOU" }, /tagScheme must be one of "auto", "BIO", "IOB1", "BIOES"/],
      [{ tagScheme: "BIO" }, /tagScheme applies only with decoding: "constrained"/],
      [{ decoding: "argmax", tagScheme: "IOB1" }, /tagScheme applies only with decoding: "constrained"/],
    ];
    for (const [options, message] of cases) {
      await expect(recognizer.ner("Ada", options)).rejects.toThrow(message);
      await expect(recognizer.ner("Ada", options)).rejects.toBeInstanceOf(InputError);
      await expect(ner("Ada", { model, ...options })).rejects.toThrow(message);
    }
  });

  it("an explicit tag scheme is used: with IOB1, B-X only right after X, and the labels differ from BIO's", async () => {
    let differ = 0;
    for (const text of [...SHORT, ...LONGER]) {
      const iob1 = (await recognizer.ner(text, { decoding: "constrained", tagScheme: "IOB1", ignoreLabels: [] })).map((e) => e.entity);
      expect(
        iob1.every((l, k) => !l.startsWith("B-") || iob1[k - 1]?.slice(2) === l.slice(2)),
        text,
      ).toBe(true);
      const bio = await recognizer.ner(text, { decoding: "constrained", tagScheme: "BIO", ignoreLabels: [] });
      expect(bio).toEqual(await recognizer.ner(text, { decoding: "constrained", ignoreLabels: [] }));
      if (bio.some((e, k) => e.entity !== iob1[k])) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });
});
