import type { TensorMap } from "@proj/core";
import { openSessionCount } from "@proj/core/internal";
import { fixture } from "@proj/testing";
import { afterEach, describe, expect, it } from "vitest";
import { classify, createClassifier, createTokenClassifier, disposeCachedHandles, ner } from "../src/index.js";
import { fixtureTokenizer, tokenId } from "./support/helpers.js";
import { keywordNerModel } from "./support/keyword-models.js";

const model = fixture("bert-seq-cls");
afterEach(() => disposeCachedHandles());

describe("one-shot functions cache their handles", () => {
  it("calls with the same model and options share one loaded model; other options load another", async () => {
    const before = openSessionCount();
    await classify("one", { model, load: { graphOptimization: "basic" } });
    await classify(["two", "three"], { model, load: { graphOptimization: "basic" } });
    expect(openSessionCount()).toBe(before + 1);
    await classify("four", { model, load: { graphOptimization: "disabled" } });
    expect(openSessionCount()).toBe(before + 2);
    await disposeCachedHandles();
    expect(openSessionCount()).toBe(before);
  });

  it("concurrent first calls load the model once", async () => {
    const before = openSessionCount();
    await Promise.all(Array.from({ length: 6 }, (_, i) => classify(`text ${i}`, { model, load: { graphOptimization: "extended" } })));
    expect(openSessionCount()).toBe(before + 1);
  });

  it("a handle passed as model is used as is and stays open after the call", async () => {
    const classifier = await createClassifier(model, { load: { graphOptimization: "basic" } });
    const before = openSessionCount();
    expect(await classify("fine", { model: classifier, topK: null })).toEqual(await classifier.classify("fine", { topK: null }));
    expect(openSessionCount()).toBe(before);
    await disposeCachedHandles();
    expect(classifier.disposed).toBe(false);
    await classifier.dispose();
  });
});

describe("what is fed to the graph", () => {
  it("only the inputs the graph declares (a graph without token_type_ids gets none)", async () => {
    const tokenizer = await fixtureTokenizer("bert-token-cls");
    const kw = keywordNerModel(new Map([[tokenId(tokenizer, "paris"), 5]]));
    const recognizer = await createTokenClassifier(kw);
    const session = recognizer.model.session("model");
    expect(session.inputNames).toEqual(["input_ids", "attention_mask"]);
    const fed = spyFeeds(session);
    expect(await ner("I love Paris", { model: recognizer })).toMatchObject([{ entity: "B-LOC", word: "paris", start: 7, end: 12 }]);
    expect(Object.keys(fed[0] ?? {}).sort()).toEqual(["attention_mask", "input_ids"]);
    await recognizer.dispose();
  });

  it("batches are bucketed by length, padded to their own longest row with the pad id", async () => {
    const classifier = await createClassifier(model);
    const fed = spyFeeds(classifier.model.session("model"));
    const texts = ["a b c d e f g h i j k l m n o p", "a", "a b c d e f g h", "a b"];
    await classifier.classify(texts, { batchSize: 2 });
    const widths = fed.map((f) => f.input_ids?.dims[1]);
    expect(widths).toEqual([4, 18]); // [a] + [a b] padded to 4; [8 words] + [16 words] padded to 18
    const ids = fed[0]?.input_ids?.data as BigInt64Array;
    const mask = fed[0]?.attention_mask?.data as BigInt64Array;
    const pad = BigInt(classifier.model.tokenizer.specialIds.pad as number);
    for (const [i, id] of ids.entries()) if (mask[i] === 0n) expect(id).toBe(pad);
    expect([...mask].filter((m) => m === 0n)).toHaveLength(1);
    expect(Object.keys(fed[0] ?? {}).sort()).toEqual(["attention_mask", "input_ids", "token_type_ids"]);
    await classifier.dispose();
  });
});

/** Records the feeds of every run of a session (the session object is shared; the spy is removed at dispose). */
function spyFeeds(session: { run: (feeds: TensorMap, options?: object) => Promise<TensorMap> }): TensorMap[] {
  const fed: TensorMap[] = [];
  const original = session.run.bind(session);
  session.run = (feeds, options) => {
    fed.push(feeds);
    return original(feeds, options);
  };
  return fed;
}
