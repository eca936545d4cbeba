import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OfflineError } from "@proj/core";
import { type EmbeddedModelName, embeddedModelPath } from "@proj/models";
import { loadOracle } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { answer, auditBias, classify, DEFAULT_QA_MODEL, disposeCachedHandles, fillMask, ner } from "../src/index.js";

/**
 * The embedded encoder models of @proj/models (sentiment, NER, fill-mask) are the defaults of classify, ner,
 * fillMask and auditBias; they answer a handful of unambiguous examples, and load and give the same answers in
 * transformers.js. Their scores on the dev splits are measured by packages/models-lab/eval/*.mjs, not here.
 */

type OracleCall = (...args: unknown[]) => Promise<unknown>;

function modelDir(name: EmbeddedModelName): string {
  const dir = embeddedModelPath(name);
  expect(dir, `packages/models/models/${name} exists`).toBeTypeOf("string");
  return dir as string;
}

/** The dtype of the one ONNX file a folder ships (the embedded models ship int8 weights where the score holds). */
function shippedDtype(dir: string): "fp32" | "q8" {
  return existsSync(join(dir, "onnx", "model.onnx")) ? "fp32" : "q8";
}

async function oracle(task: string, name: EmbeddedModelName): Promise<OracleCall> {
  const { pipeline } = await loadOracle();
  const dir = modelDir(name);
  const pipe = await pipeline(task as "fill-mask", dir, { dtype: shippedDtype(dir) });
  return (...args: unknown[]) => (pipe as unknown as OracleCall)(...args);
}

afterAll(async () => {
  await disposeCachedHandles();
});

describe("embedded sentiment model (SST-2)", () => {
  const positive = ["This movie is wonderful", "A great film with brilliant acting.", "I loved it, one of the best films of the year."];
  const negative = ["This movie is terrible", "A boring, dull and painfully bad film.", "The worst film I have ever seen."];

  it("labels clear positive and negative sentences", async () => {
    const model = modelDir("sentiment");
    const results = await classify([...positive, ...negative], { model });
    expect(results.map((r) => r[0]?.label)).toEqual([...positive.map(() => "POSITIVE"), ...negative.map(() => "NEGATIVE")]);
  });

  it("scores a text the same alone and right-padded in a batch with longer ones (the LSTM stops at each row's end)", async () => {
    const model = modelDir("sentiment");
    const texts = ["Dull.", ...positive, "It is neither a great film nor a bad one, though the second half drags on far too long."];
    const batched = await classify(texts, { model, topK: null, batchSize: texts.length });
    for (const [i, text] of texts.entries()) {
      const [alone] = await classify([text], { model, topK: null });
      for (const label of ["NEGATIVE", "POSITIVE"]) {
        const a = alone?.find((s) => s.label === label)?.score ?? Number.NaN;
        const b = batched[i]?.find((s) => s.label === label)?.score ?? Number.NaN;
        expect(Math.abs(a - b)).toBeLessThan(1e-5);
      }
    }
  });

  it("gives transformers.js's answer", async () => {
    const model = modelDir("sentiment");
    const pipe = await oracle("text-classification", "sentiment");
    for (const text of [...positive, ...negative]) {
      const [ours] = await classify(text, { model });
      const [theirs] = (await pipe(text)) as Array<{ label: string; score: number }>;
      expect(ours?.label).toBe(theirs?.label);
      expect(Math.abs((ours?.score ?? 0) - (theirs?.score ?? 1))).toBeLessThan(1e-4);
    }
  });
});

describe("embedded NER model (CoNLL-2003)", () => {
  const examples: Array<[string, Array<[string, string]>]> = [
    [
      // newswire-style, as the model's data; the bare "Barack Obama visited Paris" is a documented miss (ORG)
      "President Barack Obama visited Paris on Monday.",
      [
        ["PER", "Barack Obama"],
        ["LOC", "Paris"],
      ],
    ],
    [
      "Angela Merkel met the president of France in Berlin.",
      [
        ["PER", "Angela Merkel"],
        ["LOC", "France"],
        ["LOC", "Berlin"],
      ],
    ],
    [
      "Shares of Microsoft rose in New York on Tuesday.",
      [
        ["ORG", "Microsoft"],
        ["LOC", "New York"],
      ],
    ],
  ];

  it("finds the people, places and organisations", async () => {
    const model = modelDir("ner");
    for (const [text, want] of examples) {
      const entities = await ner(text, { model, aggregation: "first" });
      expect(
        entities.map((e) => [e.entity, text.slice(e.start, e.end)]),
        text,
      ).toEqual(want);
    }
  });

  it("labels a text the same alone and right-padded in a batch with longer ones (the LSTMs stop at each row's end)", async () => {
    const model = modelDir("ner");
    const texts = ["Paris.", ...examples.map(([text]) => text)];
    const batched = await ner(texts, { model, aggregation: "none", batchSize: texts.length });
    for (const [i, text] of texts.entries()) {
      const alone = await ner(text, { model, aggregation: "none" });
      expect(batched[i]?.map((e) => [e.entity, e.index])).toEqual(alone.map((e) => [e.entity, e.index]));
      alone.forEach((e, k) => {
        expect(Math.abs(e.score - (batched[i]?.[k]?.score ?? 0))).toBeLessThan(1e-5);
      });
    }
  });

  it("gives transformers.js's token labels and scores", async () => {
    const model = modelDir("ner");
    const pipe = await oracle("token-classification", "ner");
    for (const [text] of examples) {
      const ours = await ner(text, { model, aggregation: "none" });
      const theirs = (await pipe(text)) as Array<{ entity: string; score: number; index: number; word: string }>;
      expect(ours.map((e) => [e.entity, e.index, e.word])).toEqual(theirs.map((e) => [e.entity, e.index, e.word]));
      ours.forEach((e, i) => {
        expect(Math.abs(e.score - (theirs[i]?.score ?? 0))).toBeLessThan(1e-4);
      });
    }
  });
});

describe("embedded fill-mask model (Multi30k captions)", () => {
  const examples: Array<[string, string[]]> = [
    ["A man is riding a [MASK] down the street.", ["bike", "bicycle", "motorcycle", "horse", "skateboard", "scooter"]],
    ["Two dogs are running through the [MASK].", ["grass", "snow", "water", "field", "woods", "sand", "yard", "mud"]],
    ["A man is [MASK] a bike.", ["riding", "pushing", "fixing", "repairing", "holding", "carrying"]],
  ];

  it("fills caption-like sentences with a fitting word", async () => {
    const model = modelDir("fill-mask");
    for (const [text, fitting] of examples) {
      const [best] = await fillMask(text, { model });
      expect(fitting, `${text} -> ${best?.tokenStr}`).toContain(best?.tokenStr);
    }
  });

  it("takes <mask> as well as [MASK], with the same predictions (bug 7)", async () => {
    const model = modelDir("fill-mask");
    const want = await fillMask("A man is playing a [MASK].", { model });
    expect(await fillMask("A man is playing a <mask>.", { model })).toEqual(want);
    expect(await fillMask("A man is playing a <mask>.")).toEqual(want);
  });

  it("gives transformers.js's top 5 with the same scores", async () => {
    const model = modelDir("fill-mask");
    const pipe = await oracle("fill-mask", "fill-mask");
    for (const [text] of examples) {
      const ours = await fillMask(text, { model, topK: 5 });
      const theirs = (await pipe(text, { top_k: 5 })) as Array<{ token: number; token_str: string; score: number }>;
      expect(ours.map((p) => p.token)).toEqual(theirs.map((p) => p.token));
      expect(ours.map((p) => p.tokenStr)).toEqual(theirs.map((p) => p.token_str));
      ours.forEach((p, i) => {
        expect(Math.abs(p.score - (theirs[i]?.score ?? 0))).toBeLessThan(1e-4);
      });
    }
  });
});

describe("defaults: the embedded models, offline", () => {
  it("classify, ner, fillMask and auditBias use them when no model is given", async () => {
    const [best] = await classify("I love this movie");
    expect(best?.label).toBe("POSITIVE");
    expect((await classify("I hated every minute of this boring movie"))[0]?.label).toBe("NEGATIVE");
    const entities = await ner("President Barack Obama visited Paris on Monday.", { aggregation: "first" });
    expect(entities.map((e) => e.entity)).toEqual(["PER", "LOC"]);
    const [fill] = await fillMask("Two dogs are running through the [MASK].");
    expect(["grass", "snow", "water", "field", "woods", "sand", "yard", "mud"]).toContain(fill?.tokenStr);
    const report = await auditBias({ topK: 5 });
    expect(report.sets.length).toBeGreaterThan(0);
    expect(report.sets[0]?.groups.map((g) => g.group)).toEqual(["men", "women"]);
  });

  it("give the same answers as the embedded folder passed explicitly (one cached handle per model)", async () => {
    const implicit = await classify(["A great film.", "A dull film."], { topK: null });
    const explicit = await classify(["A great film.", "A dull film."], { model: modelDir("sentiment"), topK: null });
    expect(implicit).toEqual(explicit);
  });

  it("answer() has no embedded model: offline it fails naming its Hub default and how to pass a folder", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "proj-empty-hub-"));
    try {
      const error = await answer({ question: "Who?", context: "Ada wrote it." }, { load: { hub: { cacheDir, offline: true } } }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OfflineError);
      expect(String((error as Error).message)).toContain(DEFAULT_QA_MODEL);
      expect(`${(error as Error).message} ${(error as OfflineError).hint ?? ""}`).toMatch(/folder/i);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
