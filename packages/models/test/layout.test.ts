import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EMBEDDED_MODEL_NAMES, embeddedModelOr, embeddedModelPath } from "../src/embedded.js";

/**
 * What @proj/models promises on disk: every embedded model in the Optimum ONNX layout, int8 weights only, with a
 * model card that names its data, score and limits, and all of them together under 25 MB. Whether they load and
 * answer well is tested where they are the defaults (@proj/encoder, @proj/decoder, @proj/seq2seq).
 */

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
}

const ONNX_FILES: Record<string, string[]> = {
  sentiment: ["model_quantized.onnx"],
  ner: ["model_quantized.onnx"],
  "fill-mask": ["model_quantized.onnx"],
  embedding: ["model_quantized.onnx"],
  generation: ["model_quantized.onnx"],
  "translation-en-de": ["decoder_model_merged_quantized.onnx", "encoder_model_quantized.onnx"],
};

describe("@proj/models on disk", () => {
  it("ships every embedded model in the Optimum layout, int8 weights only", () => {
    for (const name of EMBEDDED_MODEL_NAMES) {
      const dir = embeddedModelPath(name);
      expect(dir, name).toBeTypeOf("string");
      for (const file of ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "README.md"]) {
        expect(existsSync(join(dir as string, file)), `${name}/${file}`).toBe(true);
      }
      expect(readdirSync(join(dir as string, "onnx")).sort(), name).toEqual(ONNX_FILES[name]);
      const config = JSON.parse(readFileSync(join(dir as string, "config.json"), "utf8")) as { model_type?: string };
      expect(config.model_type, name).toMatch(/^(bert|gpt2|bart)$/);
    }
  });

  it("keeps all embedded models together under 25 MB", () => {
    const total = EMBEDDED_MODEL_NAMES.reduce((n, name) => n + folderBytes(embeddedModelPath(name) as string), 0);
    expect(total).toBeLessThan(25 * 1024 * 1024);
  });

  it("gives each model a card naming its data, split, score, size, license and limits", () => {
    for (const name of EMBEDDED_MODEL_NAMES) {
      const card = readFileSync(join(embeddedModelPath(name) as string, "README.md"), "utf8");
      expect(card, name).toMatch(/^## Score$/m);
      expect(card, name).toMatch(/^## Intended use and limits$/m);
      expect(card, name).toMatch(/\b(SST-2|CoNLL-2003|Multi30k|STS-B)\b/);
      expect(card, name).toMatch(/\b(dev\.tsv|eng\.testa|val\.en|val\b|test_2016_flickr|sts-dev\.csv)/);
      expect(card, name).toMatch(/\b[Ll]icen[cs]e/);
      expect(card, name).toMatch(/MiB|MB/);
    }
  });

  it("falls back to the Hub id only when a model is missing", () => {
    expect(embeddedModelOr("sentiment", "hub/id")).toBe(embeddedModelPath("sentiment"));
    expect(embeddedModelPath("nope" as "sentiment")).toBeUndefined();
    expect(embeddedModelOr("nope" as "sentiment", "hub/id")).toBe("hub/id");
  });
});
