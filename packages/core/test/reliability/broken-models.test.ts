import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FUZZ_SEED, type FixtureName, fixture } from "@proj/testing";
import { bertFeeds } from "./support.js";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  InputError,
  loadModel,
  type LoadedModel,
  ModelFormatError,
  ModelNotFoundError,
  ProjError,
  SessionError,
  int64Tensor,
} from "../../src/index.js";
import { CausalRunner, openSessionCount, Seq2SeqRunner } from "../../src/internal.js";

/**
 * Broken model folders, made at test time by cutting, corrupting or renaming bytes of the fixtures: every one fails
 * with a typed error that names the file and says what is wrong, and leaves no session open.
 */

const temp = mkdtempSync(join(tmpdir(), "proj-broken-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let copies = 0;

/** A copy of a fixture that a test may break. */
function copyOf(name: FixtureName): string {
  const dir = join(temp, `${name}-${copies++}`);
  cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

/** Replaces every occurrence of `from` by `to` (same length) in a file: renames a graph input or output. */
function renameInFile(file: string, from: string, to: string): void {
  expect(to.length).toBe(from.length);
  const bytes = readFileSync(file);
  const needle = Buffer.from(from);
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) Buffer.from(to).copy(bytes, at);
  writeFileSync(file, bytes);
}

async function failure(work: Promise<unknown>): Promise<ProjError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "expected a typed error").toBeInstanceOf(ProjError);
  return error as ProjError;
}

/** One forward pass of a BERT fixture, to prove a model that loaded also runs (or fails typed). */
async function forward(model: LoadedModel): Promise<void> {
  const session = model.session(model.graphs[0] as string);
  await session.run(bertFeeds(session.inputNames));
}

describe("broken model files give typed errors naming the file", () => {
  it("a .onnx cut at any point is ModelFormatError naming it (encoder, decoder, encoder-decoder graphs)", async () => {
    const cases: Array<[FixtureName, string]> = [
      ["bert-seq-cls", "onnx/model.onnx"],
      ["gpt2", "onnx/model.onnx"],
      ["t5", "onnx/decoder_model_merged.onnx"],
      ["bart", "onnx/encoder_model.onnx"],
    ];
    for (const [name, graph] of cases) {
      for (const fraction of [0, 0.001, 0.5, 0.999]) {
        const dir = copyOf(name);
        const file = join(dir, graph);
        truncateSync(file, Math.floor(statSync(file).size * fraction));
        const error = await failure(loadModel(dir, { threads: 1 }));
        expect(error, `${name} cut at ${fraction}`).toBeInstanceOf(ModelFormatError);
        expect(error.message).toContain(file);
        expect(error.hint).toMatch(/corrupt or truncated/);
      }
    }
    expect(openSessionCount()).toBe(0);
  });

  it("random byte corruption loads and runs, or fails typed: never a crash", async () => {
    const original = readFileSync(join(fixture("bert-seq-cls"), "onnx", "model.onnx"));
    const dir = copyOf("bert-seq-cls");
    const file = join(dir, "onnx", "model.onnx");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: original.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 16,
        }),
        async (edits) => {
          const bytes = Buffer.from(original);
          for (const [at, value] of edits) bytes[at] = value;
          writeFileSync(file, bytes);
          let model: LoadedModel | undefined;
          try {
            model = await loadModel(dir, { threads: 1, graphOptimization: "disabled" });
            await forward(model);
          } catch (error) {
            expect(error).toBeInstanceOf(ProjError);
            if (error instanceof ModelFormatError || error instanceof SessionError) expect(error.message).toContain(file);
          } finally {
            await model?.dispose();
          }
        },
      ),
      { seed: FUZZ_SEED, numRuns: 12 },
    );
    expect(openSessionCount()).toBe(0);
  });

  it("a config.json that is not a JSON object is ModelFormatError naming config.json", async () => {
    for (const content of ["{", "", "\u0000\u0001garbage", "[]", "null", "42", '"bert"', '{"hidden_size": 8}']) {
      const dir = copyOf("bert-seq-cls");
      writeFileSync(join(dir, "config.json"), content);
      const error = await failure(loadModel(dir));
      expect(error, JSON.stringify(content)).toBeInstanceOf(ModelFormatError);
      expect(error.message).toContain(join(dir, "config.json"));
    }
  });

  it("generation_config.json and tokenizer_config.json that are not JSON are ModelFormatError naming them", async () => {
    for (const [name, file] of [
      ["gpt2", "generation_config.json"],
      ["bert-seq-cls", "tokenizer_config.json"],
    ] as const) {
      const dir = copyOf(name);
      writeFileSync(join(dir, file), '{"max_length": 20,');
      const error = await failure(loadModel(dir));
      expect(error).toBeInstanceOf(ModelFormatError);
      expect(error.message).toContain(join(dir, file));
    }
  });

  it("a missing tokenizer.json is ModelNotFoundError; a broken one is ModelFormatError naming it", async () => {
    const missing = copyOf("gpt2");
    rmSync(join(missing, "tokenizer.json"));
    const notFound = await failure(loadModel(missing));
    expect(notFound).toBeInstanceOf(ModelNotFoundError);
    expect(notFound.message).toMatch(/tokenizer\.json/);
    for (const content of ["{}", "not json", readFileSync(join(fixture("gpt2"), "tokenizer.json"), "utf8").slice(0, 5000)]) {
      const dir = copyOf("gpt2");
      writeFileSync(join(dir, "tokenizer.json"), content);
      const error = await failure(loadModel(dir));
      expect(error).toBeInstanceOf(ModelFormatError);
      expect(error.message).toContain(join(dir, "tokenizer.json"));
    }
    expect(openSessionCount()).toBe(0);
  });

  it("a tokenizer whose vocabulary does not match the model is refused at load, or fails typed on the first pass", async () => {
    // config.json's vocab_size smaller than the tokenizer's.
    const smaller = copyOf("bert-seq-cls");
    const config = JSON.parse(readFileSync(join(smaller, "config.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(smaller, "config.json"), JSON.stringify({ ...config, vocab_size: 1000 }));
    const error = await failure(loadModel(smaller));
    expect(error).toBeInstanceOf(ModelFormatError);
    expect(error.message).toMatch(/30522 tokens.*vocab_size 1000/);
    // Another model's tokenizer.
    const foreign = copyOf("bert-seq-cls");
    cpSync(join(fixture("gpt2"), "tokenizer.json"), join(foreign, "tokenizer.json"));
    expect(await failure(loadModel(foreign))).toBeInstanceOf(ModelFormatError);
    // No vocab_size to compare with: the graph's embedding refuses the id, typed and naming the file.
    const unchecked = copyOf("bert-seq-cls");
    writeFileSync(join(unchecked, "config.json"), JSON.stringify({ ...config, vocab_size: undefined }));
    cpSync(join(fixture("gpt2"), "tokenizer.json"), join(unchecked, "tokenizer.json"));
    const model = await loadModel(unchecked, { threads: 1, logLevel: "fatal" });
    const session = model.session("model");
    const runError = await failure(session.run(bertFeeds(session.inputNames, [101n, 45000n, 102n]))); // a gpt2 id beyond BERT's 30522 rows
    expect(runError).toBeInstanceOf(SessionError);
    expect(runError.message).toContain(join(unchecked, "onnx", "model.onnx"));
    expect(runError.message).toMatch(/out of (data )?bounds/);
    await model.dispose();
  });

  it("a folder without its .onnx file is ModelNotFoundError", async () => {
    const dir = copyOf("bert-seq-cls");
    rmSync(join(dir, "onnx", "model.onnx"));
    expect(await failure(loadModel(dir))).toBeInstanceOf(ModelNotFoundError);
  });
});

describe("graphs without the inputs or outputs a runner needs are refused when the runner is made", () => {
  const decoderCases: Array<[string, string, RegExp]> = [
    ["attention_mask", "attention_mXsk", /declares the input "attention_mXsk"/],
    ["input_ids", "input_idZ", /declares the input "input_idZ"/],
    ["past_key_values", "past_key_valueZ", /declares the input "past_key_valueZ\.0\.key"/],
    ["logits", "logitZ", /has no output "logits"/],
  ];
  for (const [from, to, message] of decoderCases) {
    it(`a decoder-only graph with "${from}" renamed is ModelFormatError naming the file`, async () => {
      const dir = copyOf("llama");
      const file = join(dir, "onnx", "model.onnx");
      renameInFile(file, from, to);
      const model = await loadModel(dir, { threads: 1 });
      try {
        let error: unknown;
        try {
          new CausalRunner(model.session("model"), model.config);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ModelFormatError);
        expect((error as Error).message).toContain(file);
        expect((error as Error).message).toMatch(message);
      } finally {
        await model.dispose();
      }
    });
  }

  it("encoder-decoder graphs with a renamed encoder input or decoder output are ModelFormatError naming the file", async () => {
    for (const [graph, from, to] of [
      ["encoder_model", "attention_mask", "attention_mXsk"],
      ["decoder_model_merged", "encoder_attention_mask", "encoder_attention_mXsk"],
      ["decoder_model_merged", "logits", "logitZ"],
    ] as const) {
      const dir = copyOf("t5");
      const file = join(dir, "onnx", `${graph}.onnx`);
      renameInFile(file, from, to);
      const model = await loadModel(dir, { threads: 1 });
      try {
        expect(() => Seq2SeqRunner.fromModel(model)).toThrow(ModelFormatError);
        expect(() => Seq2SeqRunner.fromModel(model)).toThrow(file);
      } finally {
        await model.dispose();
      }
    }
  });

  it("feeding a session what it does not declare is still an InputError listing the declared inputs", async () => {
    const model = await loadModel(fixture("bert-seq-cls"), { threads: 1 });
    const session = model.session("model");
    await expect(session.run({ input_ids: int64Tensor(BigInt64Array.from([101n]), [1, 1]) })).rejects.toBeInstanceOf(InputError);
    await model.dispose();
    expect(openSessionCount()).toBe(0);
  });
});
