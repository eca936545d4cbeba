import { cpSync, mkdtempSync, rmSync, truncateSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import {
  DisposedError,
  InputError,
  loadModel,
  ModelFormatError,
  ModelNotFoundError,
  OfflineError,
  type ProjError,
  Tensor,
  int64Tensor,
} from "../src/index.js";

const temp = mkdtempSync(join(tmpdir(), "proj-errors-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A copy of a fixture that a test may break. */
function copyOf(name: Parameters<typeof fixture>[0], label: string): string {
  const dir = join(temp, label);
  cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

describe("typed errors for broken or missing models", () => {
  it("a missing folder is ModelNotFoundError naming the folder", async () => {
    const missing = join(temp, "no-such-model");
    const error = await loadModel(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as ProjError).code).toBe("MODEL_NOT_FOUND");
    expect((error as Error).message).toContain(missing);
  });

  it("a folder without onnx/ says the ONNX files are missing and how to export them", async () => {
    const dir = copyOf("bert-seq-cls", "no-onnx");
    rmSync(join(dir, "onnx"), { recursive: true });
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as Error).message).toMatch(/no ONNX files/);
    expect((error as ProjError).hint).toMatch(/optimum-cli export onnx/);
  });

  it("a truncated .onnx file is ModelFormatError naming the file", async () => {
    const dir = copyOf("bert-seq-cls", "truncated");
    const file = join(dir, "onnx", "model.onnx");
    truncateSync(file, Math.floor(statSync(file).size / 3));
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toContain(file);
  });

  it("garbage bytes in place of an .onnx file are ModelFormatError", async () => {
    const dir = copyOf("gpt2", "garbage");
    writeFileSync(join(dir, "onnx", "model.onnx"), "this is not a protobuf");
    await expect(loadModel(dir)).rejects.toBeInstanceOf(ModelFormatError);
  });

  it("a config.json that is not JSON is ModelFormatError naming config.json", async () => {
    const dir = copyOf("bert-qa", "bad-config");
    writeFileSync(join(dir, "config.json"), '{"model_type": "bert", ');
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toContain(join(dir, "config.json"));
  });

  it("a missing tokenizer.json is ModelNotFoundError naming it", async () => {
    const dir = copyOf("bert-qa", "no-tokenizer");
    rmSync(join(dir, "tokenizer.json"));
    await expect(loadModel(dir)).rejects.toThrow(/tokenizer\.json/);
  });

  it("a tokenizer larger than the model's vocabulary is ModelFormatError", async () => {
    const dir = copyOf("bert-seq-cls", "vocab-mismatch");
    cpSync(`${fixture("gpt2")}/tokenizer.json`, join(dir, "tokenizer.json"));
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(/50257 tokens.*vocab_size 30522/);
  });

  it("asking for a dtype the model lacks names the dtypes it has", async () => {
    const error = await loadModel(fixture("bert-seq-cls"), { dtype: "q4" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as Error).message).toContain("onnx/model_q4.onnx");
    expect((error as ProjError).hint).toContain("fp32");
  });

  it("a dtype variant file is picked by its Optimum name", async () => {
    const dir = copyOf("bert-seq-cls", "variants");
    cpSync(join(dir, "onnx", "model.onnx"), join(dir, "onnx", "model_quantized.onnx"));
    rmSync(join(dir, "onnx", "model.onnx"));
    const model = await loadModel(dir);
    expect(model.dtypes.model).toBe("q8");
    expect(model.session("model").file).toBe(join(dir, "onnx", "model_quantized.onnx"));
    await model.dispose();
  });

  it("an uncached Hub id offline fails fast with OfflineError naming the id and the local-folder way out", async () => {
    const started = Date.now();
    const error = await loadModel("Xenova/some-model-not-cached", {
      hub: { offline: true, cacheDir: join(temp, "empty-cache") },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfflineError);
    expect((error as Error).message).toContain("Xenova/some-model-not-cached");
    expect((error as Error).message).toMatch(/local folder/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("feeds are checked against the session's declared inputs", () => {
  it("a missing input, an unknown input and a wrong type are InputErrors that list the declared inputs", async () => {
    const model = await loadModel(fixture("bert-seq-cls"));
    const session = model.session("model");
    const ids = int64Tensor(BigInt64Array.from([101n, 7592n, 102n]), [1, 3]);
    const mask = int64Tensor(BigInt64Array.from([1n, 1n, 1n]), [1, 3]);

    const missing = await session.run({ input_ids: ids, attention_mask: mask }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InputError);
    expect((missing as Error).message).toContain('"token_type_ids"');

    const unknown = await session.run({ input_ids: ids, attention_mask: mask, token_type_ids: mask, extra: mask }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(InputError);
    expect((unknown as Error).message).toContain('no input "extra"');

    const wrongType = await session
      .run({ input_ids: new Tensor("int32", Int32Array.from([101, 7592, 102]), [1, 3]), attention_mask: mask, token_type_ids: mask })
      .catch((e: unknown) => e);
    expect(wrongType).toBeInstanceOf(InputError);
    expect((wrongType as Error).message).toMatch(/must be int64, got int32/);

    const wrongRank = await session
      .run({ input_ids: int64Tensor(BigInt64Array.from([101n, 7592n, 102n]), [3]), attention_mask: mask, token_type_ids: mask })
      .catch((e: unknown) => e);
    expect(wrongRank).toBeInstanceOf(InputError);
    expect((wrongRank as Error).message).toMatch(/2 dimensions/);

    const ok = await session.run({ input_ids: ids, attention_mask: mask, token_type_ids: mask });
    expect(ok.logits?.dims).toEqual([1, 2]);
    await model.dispose();
    expect(() => model.session("model")).toThrow(DisposedError);
    await expect(session.run({ input_ids: ids, attention_mask: mask, token_type_ids: mask })).rejects.toBeInstanceOf(DisposedError);
  });
});

describe("expectFamily", () => {
  it("refuses a model of another family right after config.json, naming both families and the right package", async () => {
    const error = await loadModel(fixture("gpt2"), { expectFamily: "encoder" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/decoder-only model, but this task needs an encoder-only model/);
    expect((error as ProjError).hint).toMatch(/@proj\/decoder/);
    const ok = await loadModel(fixture("bert-qa"), { expectFamily: "encoder" });
    expect(ok.maxLength).toBe(512);
    await ok.dispose();
  });
});

describe("local folders", () => {
  it("follow symbolic links, as in a Hugging Face cache snapshot", async () => {
    const { symlinkSync, mkdirSync, readdirSync } = await import("node:fs");
    const dir = join(temp, "linked");
    mkdirSync(join(dir, "onnx"), { recursive: true });
    for (const file of readdirSync(fixture("bert-seq-cls"))) {
      if (file !== "onnx") symlinkSync(join(fixture("bert-seq-cls"), file), join(dir, file));
    }
    symlinkSync(join(fixture("bert-seq-cls"), "onnx", "model.onnx"), join(dir, "onnx", "model.onnx"));
    const model = await loadModel(dir);
    expect(model.graphs).toEqual(["model"]);
    await model.dispose();
  });
});
