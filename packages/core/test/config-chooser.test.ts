import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CONFIG_FIELD_ALIASES, describeModel } from "@proj/chooser";
import { FIXTURES, fixture } from "@proj/testing";
import { describe, expect, it } from "vitest";
import { detectFamily, ModelFormatError, parseModelConfig } from "../src/index.js";

describe("core reads configs with the chooser's tables", () => {
  for (const name of FIXTURES) {
    it(`${name}: family, window and stack shapes agree with @proj/chooser's reading of the same config`, async () => {
      const d = await describeModel(fixture(name));
      const raw = JSON.parse(await readFile(join(fixture(name), "config.json"), "utf8")) as Record<string, unknown>;
      const core = parseModelConfig(raw);
      expect(d.family).toBe(detectFamily(core));
      expect(d.contextTokens).toBe(core.maxPositionEmbeddings);
      const coreDecoder = core.decoder;
      const mine = d.family === "encoder" ? d.encoder : d.decoder;
      expect(mine && { layers: mine.layers, heads: mine.heads, kvHeads: mine.kvHeads, headDim: mine.headDim }).toEqual(
        coreDecoder && {
          layers: coreDecoder.numLayers,
          heads: coreDecoder.numHeads,
          kvHeads: coreDecoder.numKeyValueHeads,
          headDim: coreDecoder.headDim,
        },
      );
      if (core.encoder) expect(d.encoder?.layers).toBe(core.encoder.numLayers);
    });
  }

  it("a config with only seq_length gives maxPositionEmbeddings (ChatGLM, Qwen-1)", () => {
    const config = parseModelConfig({
      model_type: "chatglm",
      hidden_size: 64,
      num_attention_heads: 4,
      num_layers: 2,
      padded_vocab_size: 1000,
      seq_length: 8192,
    });
    expect(CONFIG_FIELD_ALIASES.contextLength).toContain("seq_length");
    expect(config.maxPositionEmbeddings).toBe(8192);
    expect(config.vocabSize).toBe(1000);
  });

  it("every alias of a quantity is read", () => {
    for (const key of CONFIG_FIELD_ALIASES.contextLength) {
      expect(parseModelConfig({ model_type: "gpt2", [key]: 77 }).maxPositionEmbeddings, key).toBe(77);
    }
    for (const key of CONFIG_FIELD_ALIASES.hiddenSize) {
      expect(parseModelConfig({ model_type: "gpt2", [key]: 96 }).hiddenSize, key).toBe(96);
    }
  });

  it("detectFamily follows the chooser's rule, files included, and says how to tell it otherwise", () => {
    const mystery = parseModelConfig({ model_type: "mystery" });
    expect(detectFamily(mystery, ["onnx/encoder_model.onnx", "onnx/decoder_model_merged.onnx"])).toBe("encoder-decoder");
    expect(detectFamily(mystery, ["onnx/decoder_model_merged.onnx"])).toBe("decoder");
    const error = (() => {
      try {
        detectFamily(mystery, ["onnx/model.onnx"]);
      } catch (e) {
        return e;
      }
    })();
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('model_type "mystery"');
  });
});
