import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, ModelFormatError, ModelNotFoundError, ProjError } from "@proj/core";
import { openSessionCount } from "@proj/core/internal";
import { type FixtureName, fixture } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createClassifier, createFillMask, createQuestionAnswerer, createTokenClassifier } from "../../src/index.js";

/**
 * Encoder tasks given broken models or models for another task: typed errors that name the file (or the head that
 * is missing) and say what to use instead, and no session left open.
 */

const temp = mkdtempSync(join(tmpdir(), "proj-encoder-broken-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let copies = 0;
function copyOf(name: FixtureName): string {
  const dir = join(temp, `${name}-${copies++}`);
  cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

async function failure(work: Promise<unknown>): Promise<ProjError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProjError);
  return error as ProjError;
}

const CREATE = {
  "bert-seq-cls": createClassifier,
  "bert-token-cls": createTokenClassifier,
  "bert-qa": createQuestionAnswerer,
  "bert-mlm": createFillMask,
} as const;
type EncoderFixture = keyof typeof CREATE;

describe("a model exported for another task", () => {
  it("every task refuses the other tasks' fixtures with an InputError naming the task the model fits", async () => {
    const names = Object.keys(CREATE) as EncoderFixture[];
    for (const task of names) {
      for (const model of names) {
        if (model === task) continue;
        if (task === "bert-token-cls" && model === "bert-mlm") continue; // both have a [batch, seq, n] head; see fill-mask below
        const error = await failure(CREATE[task](fixture(model), { load: { threads: 1 } }));
        expect(error, `${task} given ${model}`).toBeInstanceOf(InputError);
        expect(error.message).toMatch(/it looks like a model for/);
        expect(error.message).toContain(fixture(model));
      }
    }
    expect(openSessionCount()).toBe(0);
  });
});

describe("broken files", () => {
  it("a truncated model.onnx, a config.json that is not JSON, a missing tokenizer.json: typed errors naming the file", async () => {
    const cut = copyOf("bert-qa");
    const onnx = join(cut, "onnx", "model.onnx");
    truncateSync(onnx, Math.floor(statSync(onnx).size / 2));
    const cutError = await failure(createQuestionAnswerer(cut));
    expect(cutError).toBeInstanceOf(ModelFormatError);
    expect(cutError.message).toContain(onnx);

    const badConfig = copyOf("bert-token-cls");
    writeFileSync(join(badConfig, "config.json"), '{"model_type": "bert", "id2label": {');
    const configError = await failure(createTokenClassifier(badConfig));
    expect(configError).toBeInstanceOf(ModelFormatError);
    expect(configError.message).toContain(join(badConfig, "config.json"));

    const noTokenizer = copyOf("bert-mlm");
    rmSync(join(noTokenizer, "tokenizer.json"));
    const tokenizerError = await failure(createFillMask(noTokenizer));
    expect(tokenizerError).toBeInstanceOf(ModelNotFoundError);
    expect(tokenizerError.message).toMatch(/tokenizer\.json/);
    expect(openSessionCount()).toBe(0);
  });

  it("a graph whose token input is renamed, or with an input no encoder feeds, is ModelFormatError naming the input", async () => {
    for (const [from, to, message] of [
      ["input_ids", "input_idZ", /has no input "input_ids"/],
      ["attention_mask", "attention_mXsk", /declares the input "attention_mXsk"/],
    ] as const) {
      const dir = copyOf("bert-seq-cls");
      const file = join(dir, "onnx", "model.onnx");
      const bytes = readFileSync(file);
      for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) Buffer.from(to).copy(bytes, at);
      writeFileSync(file, bytes);
      const error = await failure(createClassifier(dir, { load: { threads: 1 } }));
      expect(error).toBeInstanceOf(ModelFormatError);
      expect(error.message).toMatch(message);
    }
    expect(openSessionCount()).toBe(0);
  });
});
