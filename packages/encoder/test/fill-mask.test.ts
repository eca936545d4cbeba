import { InputError } from "@proj/core";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFillMask, disposeCachedHandles, type FillMasker, fillMask, toModelMask } from "../src/index.js";
import { oraclePipeline } from "./support/helpers.js";

const model = fixture("bert-mlm");
const texts = [
  "The capital of France is [MASK].",
  "I [MASK] you.",
  "Héllo 😀 [MASK] wörld, this is a longer sentence with a mask in the middle.",
];

let mlm: FillMasker;
beforeAll(async () => {
  mlm = await createFillMask(model, { load: { threads: 1 } });
});
afterAll(async () => {
  await mlm.dispose();
  await disposeCachedHandles();
});

type OraclePrediction = { score: number; token: number; token_str: string; sequence: string };

describe("fill-mask matches transformers.js on the bert-mlm fixture", () => {
  it("the same top tokens, token strings, sequences, and scores (1e-4)", async () => {
    const oracle = await oraclePipeline("fill-mask", "bert-mlm");
    for (const topK of [5, 12]) {
      for (const text of texts) {
        const want = (await oracle(text, { top_k: topK })) as OraclePrediction[];
        const got = await fillMask(text, { model, topK });
        expect(got.map((p) => [p.token, p.tokenStr, p.sequence])).toEqual(want.map((p) => [p.token, p.token_str, p.sequence]));
        for (const [i, p] of got.entries()) expect(Math.abs(p.score - (want[i]?.score ?? Number.NaN))).toBeLessThan(1e-4);
      }
    }
  });

  it("many texts in one call equal one call per text", async () => {
    const batched = await mlm.fillMask(texts);
    for (const [i, text] of texts.entries()) expect(batched[i]).toEqual(await mlm.fillMask(text));
  });
});

describe("targets", () => {
  it("scores only the targets, with their probability over the whole vocabulary", async () => {
    const all = await mlm.fillMask(texts[0] as string, { topK: 30522 });
    const got = await mlm.fillMask(texts[0] as string, { targets: ["paris", "London", "the"] });
    expect(got).toHaveLength(3);
    expect(got.map((p) => p.tokenStr).sort()).toEqual(["london", "paris", "the"]);
    for (const p of got) expect(p.score).toBeCloseTo(all.find((a) => a.token === p.token)?.score as number, 12);
    expect(got[0]?.score).toBeGreaterThanOrEqual(got[1]?.score as number);
    expect(got.find((p) => p.tokenStr === "paris")?.sequence).toBe("the capital of france is paris.");
  });

  it("topK is capped at the number of targets", async () => {
    expect(await mlm.fillMask("I [MASK] you.", { targets: ["love", "hate"], topK: 5 })).toHaveLength(2);
    expect(await mlm.fillMask("I [MASK] you.", { targets: ["love", "hate"], topK: 1 })).toHaveLength(1);
  });

  it("a target that is not one vocabulary token is an InputError naming it", async () => {
    const error = await mlm.fillMask("I [MASK] you.", { targets: ["love", "supercalifragilistic"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/"supercalifragilistic" is not in the model's vocabulary/);
    await expect(mlm.fillMask("I [MASK] you.", { targets: [] })).rejects.toBeInstanceOf(InputError);
  });
});

describe("mask tokens", () => {
  it("exposes the model's mask token", () => {
    expect(mlm.maskToken).toBe("[MASK]");
  });

  it("a text without a mask token is an InputError that shows how to write one", async () => {
    const error = await fillMask("There is no mask here.", { model }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/no mask token \[MASK\]/);
    expect((error as InputError).hint).toMatch(/\[MASK\] once/);
  });

  it("<mask> works on a [MASK] model, as proj fill-mask and the server accept it (bug 7)", async () => {
    const text = "The capital of France is <mask>.";
    const want = await mlm.fillMask("The capital of France is [MASK].");
    expect(await fillMask(text, { model })).toEqual(want);
    expect(await mlm.fillMask(text)).toEqual(want);
    expect(await mlm.fillMask([text, "I <mask> you."])).toEqual(await mlm.fillMask(["The capital of France is [MASK].", "I [MASK] you."]));
    const [p] = await mlm.probabilities(["I <mask> you."]);
    const [q] = await mlm.probabilities(["I [MASK] you."]);
    expect(p).toEqual(q);
  });

  it("mixing both spellings counts two masks", async () => {
    await expect(mlm.fillMask("[MASK] loves <mask>.")).rejects.toThrow(/2 mask tokens/);
  });

  it("toModelMask rewrites either spelling to the model's own token, and leaves other text alone", () => {
    expect(toModelMask("A man is playing a <mask>.", "[MASK]")).toBe("A man is playing a [MASK].");
    expect(toModelMask("Paris is the [MASK] of France.", "<mask>")).toBe("Paris is the <mask> of France.");
    expect(toModelMask("a [MASK] b <mask>", "[MASK]")).toBe("a [MASK] b [MASK]");
    expect(toModelMask("no mask [mask] <MASK>", "[MASK]")).toBe("no mask [mask] <MASK>");
  });

  it("two mask tokens are an InputError", async () => {
    await expect(mlm.fillMask("[MASK] loves [MASK].")).rejects.toThrow(/2 mask tokens/);
  });

  it("probabilities() returns a full distribution at the mask that fillMask's scores come from", async () => {
    const [p] = await mlm.probabilities(["I [MASK] you."]);
    const [best] = await mlm.fillMask("I [MASK] you.", { topK: 1 });
    expect(p?.length).toBe(30522);
    expect(p?.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    expect(p?.[best?.token as number]).toBeCloseTo(best?.score as number, 12);
    expect(Math.max(...(p ?? []))).toBe(p?.[best?.token as number]);
  });
});
