import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixture } from "@proj/testing";
import { afterAll, describe, expect, it, vi } from "vitest";
import { keepLastPositionLogits } from "../src/graph/last-position-logits.js";
import { decodeModel, encodeModel, type ModelProto } from "../src/graph/onnx-proto.js";
import { InputError, type LoadedModel, loadModel, type ModelSession, type TensorMap } from "../src/index.js";
import { acquireSession, CausalRunner, type DecoderRunner, type PromptRow, Seq2SeqRunner } from "../src/internal.js";

const models = join(dirname(fileURLToPath(import.meta.url)), "../../models/models");
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Every decoder in the repository: the fixtures, and the embedded int8 models (DequantizeLinear tied embeddings). */
const DECODERS = [
  { name: "gpt2", folder: fixture("gpt2"), load: {} },
  { name: "llama", folder: fixture("llama"), load: {} },
  { name: "t5 (merged decoder)", folder: fixture("t5"), load: {} },
  {
    name: "t5 (decoder_model + decoder_with_past_model)",
    folder: fixture("t5"),
    load: { graphs: ["encoder_model", "decoder_model", "decoder_with_past_model"] },
  },
  { name: "bart (merged decoder)", folder: fixture("bart"), load: {} },
  {
    name: "bart (decoder_model + decoder_with_past_model)",
    folder: fixture("bart"),
    load: { graphs: ["encoder_model", "decoder_model", "decoder_with_past_model"] },
  },
  { name: "embedded generation (int8)", folder: join(models, "generation"), load: { dtype: "q8" as const } },
  { name: "embedded translation-en-de (int8, merged decoder)", folder: join(models, "translation-en-de"), load: { dtype: "q8" as const } },
];

const PROMPTS = ["The quick brown fox jumps over the lazy dog, and then", "Hello", "A man in an orange hat is looking at"];

/**
 * The prompts as runner rows. Encoder-decoder rows also force decoder prefixes of different lengths (the start token
 * and some ids), so that the decoder's prefill covers several positions, in groups of equal length.
 */
async function promptRows(model: LoadedModel): Promise<PromptRow[]> {
  const start = model.generationConfig.decoderStartTokenId ?? model.config.decoderStartTokenId ?? 0;
  const rows: PromptRow[] = [];
  for (const [r, text] of PROMPTS.entries()) {
    const ids = (await model.tokenizer.encode(text)).ids;
    rows.push(
      model.family === "decoder" ? { inputIds: ids } : { inputIds: ids, decoderInputIds: [start, ...ids.slice(0, 2 + (r % 2) * 2)] },
    );
  }
  return rows;
}

function runnerOf(model: LoadedModel): DecoderRunner {
  return model.family === "decoder"
    ? new CausalRunner(model.session(model.graphs[0] as string), model.config)
    : Seq2SeqRunner.fromModel(model);
}

/** Records the `logits` shape of every forward pass of a model's decoder graphs. */
function recordLogitsShapes(model: LoadedModel): number[][] {
  const shapes: number[][] = [];
  for (const graph of model.graphs.filter((g) => g !== "encoder_model")) {
    const session = model.session(graph);
    const run = session.run.bind(session);
    vi.spyOn(session, "run").mockImplementation(async (feeds, options) => {
      const out: TensorMap = await run(feeds, options);
      if (out.logits) shapes.push([...out.logits.dims]);
      return out;
    });
  }
  return shapes;
}

function maxAbsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let max = 0;
  a.forEach((row, r) => {
    const other = b[r] as Float32Array;
    expect(row.length).toBe(other.length);
    for (let i = 0; i < row.length; i++) max = Math.max(max, Math.abs((row[i] as number) - (other[i] as number)));
  });
  return max;
}

describe("decoder graphs are opened with logits at the last position only", () => {
  for (const decoder of DECODERS) {
    it(`${decoder.name}: prefill of a left-padded batch gives the original graph's last-position logits, [batch, 1, vocab]`, async () => {
      const rewritten = await loadModel(decoder.folder, { threads: 1, ...decoder.load });
      const original = await loadModel(decoder.folder, { threads: 1, ...decoder.load, fullLogits: true });
      try {
        const decoderGraphs = rewritten.graphs.filter((g) => g !== "encoder_model");
        for (const graph of decoderGraphs) {
          expect(rewritten.session(graph).lastPositionLogits).toBe(true);
          expect(original.session(graph).lastPositionLogits).toBe(false);
        }
        const rows = await promptRows(rewritten);
        const newShapes = recordLogitsShapes(rewritten);
        const oldShapes = recordLogitsShapes(original);
        const a = await runnerOf(rewritten).prefill(rows);
        const b = await runnerOf(original).prefill(rows);
        expect(a.logits).toHaveLength(PROMPTS.length);
        expect(maxAbsDiff(a.logits, b.logits)).toBeLessThanOrEqual(1e-5);
        const vocab = a.logits[0]?.length;
        expect(newShapes.length).toBeGreaterThan(0);
        for (const shape of newShapes) expect(shape.slice(1)).toEqual([1, vocab]);
        // The graph as exported computes every position (the prompts, and the forced decoder prefixes, are longer than one token).
        expect(oldShapes.some((s) => (s[1] as number) > 1)).toBe(true);
        // The cached step after it (the merged graph's other branch, or decoder_with_past_model) agrees too.
        const next = a.logits.map((row) => row.indexOf(Math.max(...row)));
        const stepA = await runnerOf(rewritten).step(a.cache, next);
        const stepB = await runnerOf(original).step(b.cache, next);
        expect(maxAbsDiff(stepA.logits, stepB.logits)).toBeLessThanOrEqual(1e-5);
      } finally {
        await rewritten.dispose();
        await original.dispose();
      }
    });
  }

  it("the off switch load: { fullLogits: true } gives logits at every prompt position", async () => {
    const model = await loadModel(fixture("gpt2"), { threads: 1, fullLogits: true });
    try {
      const ids = (await model.tokenizer.encode(PROMPTS[0] as string)).ids;
      const shapes = recordLogitsShapes(model);
      await new CausalRunner(model.session("model"), model.config).prefill([{ inputIds: ids }]);
      expect(shapes).toEqual([[1, ids.length, model.config.vocabSize]]);
    } finally {
      await model.dispose();
    }
  });

  it("fullLogits is a known load option (a misspelling is refused naming it)", async () => {
    await expect(loadModel(fixture("gpt2"), { threads: 1, fullLogit: true } as never)).rejects.toThrow(InputError);
    await expect(loadModel(fixture("gpt2"), { threads: 1, fullLogit: true } as never)).rejects.toThrow(/fullLogits/);
  });

  it("encoder graphs are not rewritten", async () => {
    const model = await loadModel(fixture("bert-mlm"), { threads: 1 });
    try {
      expect(model.session("model").lastPositionLogits).toBe(false);
    } finally {
      await model.dispose();
    }
  });
});

describe("a graph without the LM head pattern", () => {
  it("loads unchanged and NODE_DEBUG=proj says why", async () => {
    const before = process.env.NODE_DEBUG;
    process.env.NODE_DEBUG = "proj";
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    let session: ModelSession | undefined;
    const file = join(fixture("bert-seq-cls"), "onnx/model.onnx");
    const lease = await acquireSession(file, { threads: 1, lastPositionLogits: true });
    try {
      session = lease.session;
    } finally {
      write.mockRestore();
      if (before === undefined) delete process.env.NODE_DEBUG;
      else process.env.NODE_DEBUG = before;
      await lease.release();
    }
    expect(session?.lastPositionLogits).toBe(false);
    expect(lines.join("")).toMatch(
      /graph .*bert-seq-cls.*model\.onnx: loaded unchanged, computing logits at every position: "logits" is not declared/,
    );
  });

  it("is left alone, with the reason, when logits come from something other than a MatMul by a weight", () => {
    const model = decodeModel(readFileSync(join(fixture("gpt2"), "onnx/model.onnx")));
    const head = model.graph?.node?.find((n) => n.output?.includes("logits"));
    expect(head?.opType).toBe("MatMul");
    if (head?.input) head.input[1] = head.input[0] as string; // hidden · hidden: no constant weight
    expect(keepLastPositionLogits(model)).toEqual({
      changed: false,
      reason: expect.stringMatching(/does not multiply by a constant weight/),
    });
    const empty: ModelProto = { opsetImport: [{ version: 14 }], graph: { node: [], output: [] } };
    expect(keepLastPositionLogits(empty)).toEqual({ changed: false, reason: 'it has no output "logits"' });
    expect(keepLastPositionLogits({ ...empty, opsetImport: [{ version: 9 }] })).toEqual({
      changed: false,
      reason: expect.stringMatching(/opset 9 is older than 11/),
    });
  });
});

describe("the ONNX protobuf round trip", () => {
  const files = [
    join(fixture("gpt2"), "onnx/model.onnx"),
    join(fixture("llama"), "onnx/model.onnx"),
    join(fixture("t5"), "onnx/decoder_model_merged.onnx"),
    join(fixture("bart"), "onnx/decoder_model_merged.onnx"),
    join(models, "generation/onnx/model_quantized.onnx"),
    join(models, "translation-en-de/onnx/decoder_model_merged_quantized.onnx"),
  ];
  it("decoding and encoding a model unchanged gives back the same bytes (int64 values included)", () => {
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(Buffer.from(encodeModel(decodeModel(bytes))).equals(bytes), file).toBe(true);
    }
  });
});

describe("models with external data", () => {
  it("a decoder whose weights live in model.onnx_data is rewritten and reads them from its folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "proj-external-"));
    temps.push(dir);
    cpSync(fixture("gpt2"), dir, { recursive: true });
    moveWeightsToExternalFile(join(dir, "onnx/model.onnx"), "model.onnx_data");
    // The working directory is not the model's: a model opened from bytes would look for model.onnx_data there.
    const rewritten = await loadModel(dir, { threads: 1 });
    const original = await loadModel(fixture("gpt2"), { threads: 1, fullLogits: true });
    try {
      expect(rewritten.session("model").lastPositionLogits).toBe(true);
      const rows = await promptRows(rewritten);
      const a = await runnerOf(rewritten).prefill(rows);
      const b = await runnerOf(original).prefill(rows);
      expect(maxAbsDiff(a.logits, b.logits)).toBeLessThanOrEqual(1e-5);
    } finally {
      await rewritten.dispose();
      await original.dispose();
    }
  });
});

/** Rewrites an ONNX file so that its initializers' values live in one external file beside it, as Optimum saves models over 2 GB. */
function moveWeightsToExternalFile(file: string, location: string): void {
  const model = decodeModel(readFileSync(file)) as ModelProto & {
    graph: { initializer: Array<{ rawData?: Uint8Array; dataLocation?: number; externalData?: Array<{ key: string; value: string }> }> };
  };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of model.graph.initializer) {
    const data = tensor.rawData;
    if (!data || data.length < 1024) continue;
    chunks.push(data);
    tensor.externalData = [
      { key: "location", value: location },
      { key: "offset", value: String(offset) },
      { key: "length", value: String(data.length) },
    ];
    tensor.dataLocation = 1;
    delete tensor.rawData;
    offset += data.length;
  }
  expect(chunks.length).toBeGreaterThan(0);
  writeFileSync(join(dirname(file), location), Buffer.concat(chunks));
  writeFileSync(file, encodeModel(model));
}
