import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BART_LARGE_CNN, DISTILBART_CNN_6_6, FLAN_T5_SMALL, M2M100_418M, OPUS_MT_EN_DE, T5_SMALL } from "../src/models/seq2seq-models.js";
import {
  baseLanguage,
  CANONICAL_TASKS,
  ChooserError,
  CONFIG_FIELD_ALIASES,
  configNumber,
  DEFAULT_MODELS,
  defaultModelOf,
  describeConfig,
  describeModel,
  inferFamily,
  LANGUAGES,
  modelShape,
  taskRow,
} from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
/** The English-to-German translator embedded in @proj/models (a BART without task_specific_params). */
const EMBEDDED_TRANSLATOR = join(here, "..", "..", "models", "models", "translation-en-de");

describe("the language table", () => {
  it("normalises names, ISO 639-3 codes, regions and model codes to one ISO 639-1 code", () => {
    expect(baseLanguage("English")).toBe("en");
    expect(baseLanguage("german")).toBe("de");
    expect(baseLanguage("deu")).toBe("de");
    expect(baseLanguage("de-CH")).toBe("de");
    expect(baseLanguage("de_DE")).toBe("de");
    expect(baseLanguage("eng_Latn")).toBe("en");
    expect(baseLanguage("__fr__")).toBe("fr");
    expect(baseLanguage(" PT-br ")).toBe("pt");
    expect(baseLanguage("yo-NG")).toBe("yo");
  });

  it("names each language once: no code or name belongs to two languages", () => {
    const seen = new Map<string, string>();
    for (const language of LANGUAGES) {
      for (const key of [language.iso1, ...language.iso3, ...language.names].map((k) => k.toLowerCase())) {
        expect(seen.get(key) ?? language.iso1, key).toBe(language.iso1);
        seen.set(key, language.iso1);
      }
    }
  });
});

describe("default models", () => {
  it("DEFAULT_MODELS is the task table's default model of every task", () => {
    expect(Object.keys(DEFAULT_MODELS)).toEqual([...CANONICAL_TASKS]);
    for (const task of CANONICAL_TASKS) expect(DEFAULT_MODELS[task]).toBe(taskRow(task).defaultModel);
  });

  it("English to German by name, by code or by task name picks the embedded translator", () => {
    for (const [task, pair] of [
      ["translation", { from: "English", to: "German" }],
      ["translation", { from: "en", to: "de" }],
      ["translation", { from: "eng_Latn", to: "deu" }],
      ["translation_en_to_de", {}],
      ["translate", {}],
      ["translation", { to: "German" }],
    ] as const) {
      expect(defaultModelOf(task, pair), `${task} ${JSON.stringify(pair)}`).toEqual({
        embeddedModel: "translation-en-de",
        hubModel: "Xenova/t5-small",
      });
    }
  });

  it("another pair keeps the Hub default; a call's languages override the task name's", () => {
    expect(defaultModelOf("translation", { to: "fr" })).toEqual({ embeddedModel: undefined, hubModel: "Xenova/t5-small" });
    expect(defaultModelOf("translation_en_to_fr").embeddedModel).toBeUndefined();
    expect(defaultModelOf("translation", { from: "German", to: "English" }).embeddedModel).toBeUndefined();
    expect(defaultModelOf("translation_en_to_fr", { to: "German" }).embeddedModel).toBe("translation-en-de");
  });

  it("other tasks take their embedded model whatever the languages, or none", () => {
    expect(defaultModelOf("sentiment-analysis")).toEqual({ embeddedModel: "sentiment", hubModel: DEFAULT_MODELS["text-classification"] });
    expect(defaultModelOf("qa")).toEqual({ embeddedModel: undefined, hubModel: DEFAULT_MODELS["question-answering"] });
  });

  it("a language that is not a string is an INVALID_CONSTRAINT naming the option", () => {
    for (const pair of [{ to: 5 }, { from: 5 }, { to: {} }]) {
      const error = (() => {
        try {
          defaultModelOf("translation", pair as never);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ChooserError);
      expect((error as ChooserError).code).toBe("INVALID_CONSTRAINT");
      expect((error as ChooserError).message).toMatch(new RegExp(`^${Object.keys(pair)[0]} must be a language`));
    }
  });
});

describe("config field aliases and families", () => {
  it("a config with only seq_length gives the context length", () => {
    expect(CONFIG_FIELD_ALIASES.contextLength).toContain("seq_length");
    expect(configNumber({ seq_length: 8192 }, "contextLength")).toBe(8192);
    expect(configNumber({ max_position_embeddings: 512, seq_length: 8192 }, "contextLength")).toBe(512);
  });

  it("inferFamily uses the ONNX files when the config does not tell", () => {
    const clues = { modelType: "mystery", architectures: [], isEncoderDecoder: false };
    expect(inferFamily(clues)).toBeUndefined();
    expect(inferFamily({ ...clues, onnxFiles: ["onnx/encoder_model.onnx", "onnx/decoder_model_merged.onnx"] })).toBe("encoder-decoder");
    expect(inferFamily({ ...clues, onnxFiles: ["onnx/decoder_model_merged.onnx"] })).toBe("decoder");
    expect(inferFamily({ ...clues, architectures: ["MysteryForMaskedLM"] })).toBe("encoder");
    // The model type decides before the files do.
    expect(inferFamily({ ...clues, modelType: "gpt2", onnxFiles: ["onnx/decoder_model.onnx"] })).toBe("decoder");
  });
});

describe("translator or summariser (bug 5)", () => {
  it("the embedded English-German BART is a translator, not a summariser", async () => {
    const d = await describeModel(EMBEDDED_TRANSLATOR);
    expect(d.modelType).toBe("bart");
    expect(d.tasks).toEqual(["translation"]);
  });

  it("the table's real configs: BART-CNN summarises, Marian and M2M100 translate, T5-small does both", () => {
    expect(describeConfig(DISTILBART_CNN_6_6.config).tasks).toEqual(["summarization"]);
    expect(describeConfig(BART_LARGE_CNN.config).tasks).toEqual(["summarization"]);
    expect(describeConfig(OPUS_MT_EN_DE.config).tasks).toEqual(["translation"]);
    expect(describeConfig(OPUS_MT_EN_DE.config, { languagePair: { from: "en", to: "de" } }).tasks).toEqual(["translation"]);
    expect(describeConfig(M2M100_418M.config).tasks).toEqual(["translation"]);
    expect(describeConfig(T5_SMALL.config).tasks).toEqual(["translation", "summarization", "generative-qa"]);
    expect(describeConfig(FLAN_T5_SMALL.config).tasks).toEqual(["summarization", "generative-qa"]);
  });

  it("a BART that names a pair (tokenizer languages or a translation entry) and no summarization settings translates", () => {
    const bart = DISTILBART_CNN_6_6.config;
    expect(describeConfig(bart, { languagePair: { from: "en", to: "de" } }).tasks).toEqual(["translation"]);
    expect(describeConfig({ ...bart, task_specific_params: { translation_en_to_ro: {} } }).tasks).toEqual(["translation"]);
    expect(modelShape({ ...bart, task_specific_params: { translation_en_to_ro: {} } }).translationDirections).toEqual(["en->ro"]);
    // Summarization settings keep it a summariser too.
    const both = { ...bart, task_specific_params: { summarization: {}, translation_en_to_ro: {} } };
    expect(describeConfig(both).tasks).toEqual(["translation", "summarization"]);
  });
});
