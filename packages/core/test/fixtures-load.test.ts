import { FIXTURES, fixture } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { loadModel, Tensor, type LoadedModel, int64Tensor, padBatch } from "../src/index.js";
import { openSessionCount } from "../src/internal.js";

const expectedFamily = {
  "bert-seq-cls": "encoder",
  "bert-token-cls": "encoder",
  "bert-qa": "encoder",
  "bert-mlm": "encoder",
  "bert-embed": "encoder",
  "bert-cross-encoder": "encoder",
  "bert-nli": "encoder",
  gpt2: "decoder",
  llama: "decoder",
  "qwen2-tools": "decoder",
  bart: "encoder-decoder",
  t5: "encoder-decoder",
} as const;

const loaded: LoadedModel[] = [];
afterAll(async () => {
  await Promise.all(loaded.map((m) => m.dispose()));
});

describe("every fixture loads through @proj/core and its sessions run", () => {
  for (const name of FIXTURES) {
    it(`${name}: family, graphs, and a forward pass with finite outputs`, async () => {
      const model = await loadModel(fixture(name), { threads: 1 });
      loaded.push(model);
      expect(model.family).toBe(expectedFamily[name]);
      const encoding = await model.tokenizer.encode("The quick brown fox jumps over the lazy dog.");
      expect(encoding.ids.length).toBeGreaterThan(5);
      const batch = padBatch([encoding], { padId: model.tokenizer.specialIds.pad ?? 0 });
      const ids = int64Tensor(batch.inputIds, batch.dims);
      const mask = int64Tensor(batch.attentionMask, batch.dims);
      const [graph] = model.graphs;
      const session = model.session(graph as string);
      const feeds: Record<string, Tensor> = {};
      for (const input of session.inputs) {
        if (input.name === "input_ids") feeds[input.name] = ids;
        else if (input.name === "attention_mask") feeds[input.name] = mask;
        else if (input.name === "token_type_ids") feeds[input.name] = int64Tensor(batch.tokenTypeIds, batch.dims);
        else if (input.name === "position_ids") {
          feeds[input.name] = int64Tensor(BigInt64Array.from(encoding.ids.map((_, i) => BigInt(i))), batch.dims);
        } else if (input.name.startsWith("past_key_values")) {
          const shape = model.config.decoder;
          expect(shape).toBeDefined();
          feeds[input.name] = new Tensor("float32", new Float32Array(0), [1, shape?.numKeyValueHeads ?? 0, 0, shape?.headDim ?? 0]);
        }
      }
      const outputs = await session.run(feeds);
      const first = outputs[session.outputNames[0] as string];
      expect(first).toBeDefined();
      const data = first?.data as Float32Array;
      expect(data.length).toBeGreaterThan(0);
      expect(data.every(Number.isFinite)).toBe(true);
      if (model.family === "encoder-decoder") {
        expect(model.graphs).toEqual(["encoder_model", "decoder_model_merged"]);
        expect(first?.dims).toEqual([1, encoding.ids.length, model.config.hiddenSize]);
      }
    });
  }
});

describe("session sharing", () => {
  it("two handles on the same files share one native session, freed by the last dispose", async () => {
    const before = openSessionCount();
    const a = await loadModel(fixture("bert-seq-cls"), { threads: 1, graphOptimization: "basic" });
    const b = await loadModel(fixture("bert-seq-cls"), { threads: 1, graphOptimization: "basic" });
    expect(a.session("model")).toBe(b.session("model"));
    expect(openSessionCount()).toBe(before + 1);
    await a.dispose();
    expect(openSessionCount()).toBe(before + 1);
    expect(b.session("model").disposed).toBe(false);
    await b.dispose();
    expect(openSessionCount()).toBe(before);
  });

  it("concurrent first loads of one model open its session once", async () => {
    const before = openSessionCount();
    const models = await Promise.all(
      Array.from({ length: 8 }, () => loadModel(fixture("bert-qa"), { threads: 1, graphOptimization: "extended" })),
    );
    expect(openSessionCount()).toBe(before + 1);
    expect(new Set(models.map((m) => m.session("model"))).size).toBe(1);
    await Promise.all(models.map((m) => m.dispose()));
    expect(openSessionCount()).toBe(before);
  });
});
