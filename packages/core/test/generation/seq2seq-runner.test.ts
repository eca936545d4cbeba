import { fixture, loadOracle } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DecodingOptions, type GeneratedSequence, type LoadedModel, loadModel } from "../../src/index.js";
import {
  DecoderCache,
  type DecoderRunner,
  logSoftmaxInPlace,
  MetricsRecorder,
  resolveDecodingOptions,
  runEngine,
  Seq2SeqRunner,
} from "../../src/internal.js";

const names = ["bart", "t5"] as const;
type Name = (typeof names)[number];
const SPLIT = ["encoder_model", "decoder_model", "decoder_with_past_model"];

const merged = new Map<Name, LoadedModel>();
const split = new Map<Name, LoadedModel>();
beforeAll(async () => {
  for (const name of names) {
    merged.set(name, await loadModel(fixture(name), { threads: 1 }));
    split.set(name, await loadModel(fixture(name), { threads: 1, graphs: SPLIT }));
  }
});
afterAll(async () => {
  for (const m of [...merged.values(), ...split.values()]) await m.dispose();
});

const texts = [
  "The tower is 324 metres tall, about the same height as an 81-storey building.",
  "Hello world",
  "A man in an orange hat starring at something. Two dogs play in the snow while a child watches from the porch.",
];

function startId(model: LoadedModel): number {
  return model.generationConfig.decoderStartTokenId ?? (model.config.decoderStartTokenId as number);
}

async function encodeAll(model: LoadedModel, inputs: readonly string[]): Promise<number[][]> {
  return (await model.tokenizer.encodeBatch(inputs)).map((e) => e.ids);
}

/** Runs the engine on an encoder-decoder fixture, as the task packages do (decoder prefix = the start token). */
async function generate(
  model: LoadedModel,
  inputs: number[][],
  options: DecodingOptions,
  runner: DecoderRunner = Seq2SeqRunner.fromModel(model),
): Promise<GeneratedSequence[][]> {
  const start = startId(model);
  const resolved = resolveDecodingOptions(
    model.generationConfig,
    options,
    { vocabSize: model.config.vocabSize as number, eosTokenIds: model.config.eosTokenIds },
    1,
  );
  return runEngine(runner, {
    prompts: inputs.map((inputIds) => ({ inputIds, decoderInputIds: [start] })),
    contexts: inputs.map(() => [start]),
    options: resolved,
    tokenizer: model.tokenizer,
    metrics: new MetricsRecorder(),
  });
}

function ids(result: GeneratedSequence[][]): number[][] {
  return result.map((r) => r[0]?.tokenIds ?? []);
}

describe.each(names)("%s: Seq2SeqRunner", (name) => {
  it("greedy tokens equal transformers.js, single inputs and a padded batch", async () => {
    const model = merged.get(name) as LoadedModel;
    const oracle = await loadOracle();
    const tokenizer = await oracle.AutoTokenizer.from_pretrained(fixture(name));
    const reference = await oracle.AutoModelForSeq2SeqLM.from_pretrained(fixture(name), { dtype: "fp32" });
    const maxNewTokens = 20;
    const eos = new Set(model.config.eosTokenIds);
    // transformers.js returns [start, ...generated, eos, pad ...]; ours is the generated part without the eos.
    const reference_ = (row: bigint[]): number[] => {
      const out = row.slice(1).map(Number);
      const end = out.findIndex((t) => eos.has(t));
      return end < 0 ? out : out.slice(0, end);
    };
    const encoded = await encodeAll(model, texts);
    const ours = ids(await generate(model, encoded, { maxNewTokens, numBeams: 1 }));
    for (let i = 0; i < texts.length; i++) {
      const inputs = tokenizer(texts[i] as string);
      expect((inputs.input_ids.tolist() as bigint[][])[0]?.map(Number)).toEqual(encoded[i]);
      const out = (await reference.generate({ ...inputs, max_new_tokens: maxNewTokens, do_sample: false, num_beams: 1 })) as {
        tolist(): bigint[][];
      };
      const want = reference_(out.tolist()[0] ?? []);
      expect(want.length).toBeGreaterThan(0);
      const [[single]] = (await generate(model, [encoded[i] as number[]], { maxNewTokens, numBeams: 1 })) as [[GeneratedSequence]];
      expect(single.tokenIds).toEqual(want);
      expect(ours[i]).toEqual(want);
    }
    const batch = tokenizer(texts, { padding: true });
    const out = (await reference.generate({ ...batch, max_new_tokens: maxNewTokens, do_sample: false, num_beams: 1 })) as {
      tolist(): bigint[][];
    };
    expect(out.tolist().map(reference_)).toEqual(ours);
    await reference.dispose();
  });

  it("the cached decoder gives the same tokens as recomputing the whole decoder prefix every step", async () => {
    const model = merged.get(name) as LoadedModel;
    const encoded = await encodeAll(model, texts);
    const options: DecodingOptions = { maxNewTokens: 24, numBeams: 1, eosTokenId: [] };
    const cached = ids(await generate(model, encoded, options));
    const uncached = ids(await generate(model, encoded, options, Seq2SeqRunner.fromModel(model, { useCache: false })));
    expect(Seq2SeqRunner.fromModel(model, { useCache: false }).usesCache).toBe(false);
    for (const row of cached) expect(row).toHaveLength(24);
    expect(uncached).toEqual(cached);
  });

  it("the separate decoder_model + decoder_with_past_model layout gives the same tokens as the merged one", async () => {
    const one = merged.get(name) as LoadedModel;
    const two = split.get(name) as LoadedModel;
    expect(two.graphs).toEqual(SPLIT);
    const splitRunner = Seq2SeqRunner.fromModel(two);
    expect(splitRunner.usesCache).toBe(true);
    const encoded = await encodeAll(one, texts);
    for (const options of [
      { maxNewTokens: 24, numBeams: 1, eosTokenId: [] },
      { maxNewTokens: 12, numBeams: 4, numReturnSequences: 4 },
    ] satisfies DecodingOptions[]) {
      const a = await generate(one, encoded, options);
      const b = await generate(two, encoded, options, splitRunner);
      expect(b.map((r) => r.map((s) => s.tokenIds))).toEqual(a.map((r) => r.map((s) => s.tokenIds)));
    }
    // And the uncached split layout (decoder_model alone) agrees too.
    const uncached = await generate(
      two,
      encoded,
      { maxNewTokens: 24, numBeams: 1, eosTokenId: [] },
      Seq2SeqRunner.fromModel(two, { useCache: false }),
    );
    expect(ids(uncached)).toEqual(ids(await generate(one, encoded, { maxNewTokens: 24, numBeams: 1, eosTokenId: [] })));
  });

  it("keeps the cross-attention cache from the first step and carries it through gather and concat", async () => {
    const model = merged.get(name) as LoadedModel;
    const runner = Seq2SeqRunner.fromModel(model);
    const [a, b] = (await encodeAll(model, [texts[0] as string, texts[1] as string])) as [number[], number[]];
    const start = startId(model);
    const first = await runner.prefill([{ inputIds: a, decoderInputIds: [start] }]);
    const crossKv = first.cache.encoder?.crossKv;
    expect(crossKv?.size).toBe(2 * (model.config.decoder?.numLayers ?? 0));
    for (const tensor of crossKv?.values() ?? []) expect(tensor.dims[2]).toBe(a.length);
    // Row A steps twice alone; row B joins with a shorter decoder prefix and a shorter encoder input.
    let aloneA = await runner.step(first.cache, [5]);
    aloneA = await runner.step(aloneA.cache, [7]);
    const joinB = await runner.prefill([{ inputIds: b, decoderInputIds: [start] }]);
    const joined = DecoderCache.concat([aloneA.cache, joinB.cache]);
    expect(joined.encoder?.crossKv?.get("past_key_values.0.encoder.key")?.dims[2]).toBe(a.length);
    const together = await runner.step(joined, [9, 11]);
    const soloA = await runner.step(aloneA.cache, [9]);
    const soloB = await runner.step(joinB.cache, [11]);
    expectClose(together.logits[0] as Float32Array, soloA.logits[0] as Float32Array);
    expectClose(together.logits[1] as Float32Array, soloB.logits[0] as Float32Array);
    // Beams: gathering rows (with repeats) continues each chosen row exactly.
    const forked = together.cache.gather([1, 1, 0]);
    const next = await runner.step(forked, [3, 4, 3]);
    const refB = await runner.step(soloB.cache, [4]);
    const refA = await runner.step(soloA.cache, [3]);
    expectClose(next.logits[1] as Float32Array, refB.logits[0] as Float32Array);
    expectClose(next.logits[2] as Float32Array, refA.logits[0] as Float32Array);
    // The same continuation recomputed without a cache.
    const uncached = Seq2SeqRunner.fromModel(model, { useCache: false });
    const full = await uncached.prefill([{ inputIds: b, decoderInputIds: [start, 11, 4] }]);
    expectClose(full.logits[0] as Float32Array, refB.logits[0] as Float32Array);
  });

  it("refuses an empty input and a decoder prefix that is empty", async () => {
    const model = merged.get(name) as LoadedModel;
    const runner = Seq2SeqRunner.fromModel(model);
    await expect(runner.prefill([{ inputIds: [] }])).rejects.toMatchObject({ code: "INPUT" });
    await expect(runner.prefill([{ inputIds: [4, 1], decoderInputIds: [] }])).rejects.toMatchObject({ code: "INPUT" });
  });
});

describe("beam search on an encoder-decoder", () => {
  it.each([1, 2, 0.5])("equals exhaustive search over a 4-token vocabulary, 3 new tokens, length penalty %s", async (lengthPenalty) => {
    const model = merged.get("t5") as LoadedModel;
    const vocab = model.config.vocabSize as number;
    const eos = model.config.eosTokenIds[0] as number;
    const allowed = [eos, 71, 1000, 5];
    const suppressTokens = Array.from({ length: vocab }, (_, t) => t).filter((t) => !allowed.includes(t));
    const [input] = await encodeAll(model, [texts[0] as string]);
    // 36 beams hold every open prefix (27 at the last step) and rank every end-of-sequence candidate.
    const [result] = await generate(model, [input as number[]], {
      maxNewTokens: 3,
      numBeams: 36,
      numReturnSequences: 10,
      lengthPenalty,
      earlyStopping: "never",
      suppressTokens,
    });

    // Exhaustive: score every sequence from the raw model logits (log-softmax over the whole vocabulary,
    // as beam search scores before banning tokens), normalised by its length (end-of-sequence included).
    const start = startId(model);
    const uncached = Seq2SeqRunner.fromModel(model, { useCache: false });
    const logProbs = async (prefix: number[]): Promise<Float32Array> => {
      const { logits } = await uncached.prefill([{ inputIds: input as number[], decoderInputIds: [start, ...prefix] }]);
      const row = Float32Array.from(logits[0] as Float32Array);
      logSoftmaxInPlace(row);
      return row;
    };
    const all: Array<{ tokens: number[]; score: number }> = [];
    const walk = async (prefix: number[], sum: number): Promise<void> => {
      const lp = await logProbs(prefix);
      for (const token of allowed) {
        const total = sum + (lp[token] as number);
        const length = prefix.length + 1;
        if (token === eos) all.push({ tokens: prefix, score: total / length ** lengthPenalty });
        else if (length === 3) all.push({ tokens: [...prefix, token], score: total / length ** lengthPenalty });
        else await walk([...prefix, token], total);
      }
    };
    await walk([], 0);
    expect(all).toHaveLength(1 + 3 + 9 + 27);
    all.sort((x, y) => y.score - x.score);
    const got = result as GeneratedSequence[];
    expect(got).toHaveLength(10);
    expect(got.map((s) => s.tokenIds)).toEqual(all.slice(0, 10).map((s) => s.tokens));
    got.forEach((s, i) => {
      expect(s.score).toBeCloseTo(all[i]?.score as number, 4);
    });
  });
});

function expectClose(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)));
  expect(worst).toBeLessThan(1e-4);
}
