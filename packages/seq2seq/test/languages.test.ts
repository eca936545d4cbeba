import { type JsonObject, parseModelConfig, parseTokenizerConfig } from "@proj/core";
import { describe, expect, it } from "vitest";
import { codeLanguage, languageKeys, matchLanguage, sameLanguage } from "../src/index.js";
import { resolvePair } from "../src/translate/resolve-pair.js";
import { detectScheme, type SchemeSource, sourcePlacement, type TranslationScheme } from "../src/translate/scheme.js";
import { frameWithLanguage } from "../src/translate/source-ids.js";

/** A model as the scheme sees it, built from config objects shaped like the real ones on the Hub. */
function source(label: string, config: JsonObject, tokenizerConfig: JsonObject | undefined): SchemeSource {
  return {
    label,
    config: parseModelConfig({ model_type: "marian", ...config }),
    tokenizerConfig: tokenizerConfig && parseTokenizerConfig(tokenizerConfig),
  };
}

/** A vocabulary lookup holding the given tokens. */
function vocab(tokens: readonly string[], base = 1000): (token: string) => number | undefined {
  const ids = new Map(tokens.map((t, i) => [t, base + i]));
  return (token) => ids.get(token);
}

const MBART50 = ["ar_AR", "cs_CZ", "de_DE", "en_XX", "es_XX", "fr_XX", "ja_XX", "zh_CN"];
const NLLB = ["deu_Latn", "eng_Latn", "fra_Latn", "zho_Hans", "zho_Hant", "arb_Arab", "pes_Arab"];
const M2M = ["__de__", "__en__", "__fr__", "__zh__"];

describe("detectScheme", () => {
  it("finds T5 task pairs and their prefixes in task_specific_params", () => {
    const scheme = detectScheme(
      source(
        "t5-small",
        {
          task_specific_params: {
            summarization: { prefix: "summarize: " },
            translation_en_to_de: { prefix: "translate English to German: ", num_beams: 4 },
            translation_en_to_fr: { prefix: "translate English to French: " },
          },
        },
        { tokenizer_class: "T5Tokenizer", additional_special_tokens: ["<extra_id_0>", "<extra_id_1>"] },
      ),
    );
    expect(scheme).toEqual({
      kind: "task-prefix",
      pairs: [
        { task: "translation_en_to_de", from: "en", to: "de", prefix: "translate English to German: " },
        { task: "translation_en_to_fr", from: "en", to: "fr", prefix: "translate English to French: " },
      ],
    });
  });

  it("finds language tokens of mBART-50, NLLB and M2M100 and where the source token goes", () => {
    const mbart = detectScheme(
      source("mbart-50", {}, { tokenizer_class: "MBart50Tokenizer", additional_special_tokens: MBART50, src_lang: "en_XX" }),
    );
    expect(mbart).toEqual({ kind: "language-tokens", codes: MBART50, placement: "prefix", defaultFrom: "en_XX", defaultTo: undefined });
    const nllb = detectScheme(
      source("nllb", {}, { tokenizer_class: "NllbTokenizer", additional_special_tokens: NLLB.map((content) => ({ content })) }),
    );
    expect(nllb).toMatchObject({ kind: "language-tokens", codes: NLLB, placement: "prefix" });
    const legacy = detectScheme(
      source("nllb", {}, { tokenizer_class: "NllbTokenizerFast", legacy_behaviour: true, additional_special_tokens: NLLB }),
    );
    expect(legacy).toMatchObject({ placement: "suffix" });
    expect(detectScheme(source("m2m", {}, { tokenizer_class: "M2M100Tokenizer", additional_special_tokens: M2M }))).toMatchObject({
      codes: M2M,
      placement: "prefix",
    });
    expect(sourcePlacement("MBartTokenizerFast", false)).toBe("suffix");
  });

  it("reads a single pair from a Marian tokenizer config, or from an opus-mt model id", () => {
    expect(detectScheme(source("x", {}, { source_lang: "en", target_lang: "de" }))).toEqual({ kind: "single-pair", from: "en", to: "de" });
    expect(detectScheme(source("Xenova/opus-mt-fr-en", {}, {}))).toEqual({ kind: "single-pair", from: "fr", to: "en" });
    expect(detectScheme(source("./my-model", {}, undefined))).toEqual({ kind: "single-pair", from: undefined, to: undefined });
  });
});

describe("resolvePair", () => {
  const t5: TranslationScheme = {
    kind: "task-prefix",
    pairs: [
      { task: "translation_en_to_de", from: "en", to: "de", prefix: "translate English to German: " },
      { task: "translation_en_to_fr", from: "en", to: "fr", prefix: "translate English to French: " },
    ],
  };

  it("T5: picks the pair by code or name, and names the pairs when it cannot", () => {
    expect(resolvePair(t5, "t5", vocab([]), undefined, "German")).toMatchObject({
      task: "translation_en_to_de",
      prefix: "translate English to German: ",
      to: "de",
    });
    expect(resolvePair(t5, "t5", vocab([]), "English", "fra").task).toBe("translation_en_to_fr");
    expect(() => resolvePair(t5, "t5", vocab([]), undefined, "ro")).toThrow(
      /t5 cannot translate its source language to ro; it translates en -> de, en -> fr/,
    );
    expect(() => resolvePair(t5, "t5", vocab([]), "de", "fr")).toThrow(expect.objectContaining({ code: "INPUT" }));
    expect(() => resolvePair(t5, "t5", vocab([]), undefined, undefined)).toThrow(/say which with \{ to \}/);
  });

  it("mBART-50: source token into the input, target token forced first", () => {
    const scheme = detectScheme(
      source("mbart-50", {}, { tokenizer_class: "MBart50TokenizerFast", additional_special_tokens: MBART50, src_lang: "en_XX" }),
    );
    const lookup = vocab(MBART50, 250000);
    const pair = resolvePair(scheme, "mbart-50", lookup, undefined, "French");
    expect(pair).toMatchObject({
      from: "en_XX",
      to: "fr_XX",
      sourceToken: { id: 250003, placement: "prefix" },
      forcedBosTokenId: 250005,
      prefix: "",
    });
    expect(resolvePair(scheme, "mbart-50", lookup, "zh", "ja_XX")).toMatchObject({ from: "zh_CN", to: "ja_XX" });
    expect(() => resolvePair(scheme, "mbart-50", lookup, "en", "xx")).toThrow(/Unknown language "xx" for mbart-50.*ar_AR, cs_CZ/);
    expect(() => resolvePair(scheme, "mbart-50", lookup, "en", undefined)).toThrow(/say which language to translate to/);
  });

  it("NLLB: ISO 639-1 codes and names map to its codes; an ambiguous language is refused with the choices", () => {
    const scheme = detectScheme(source("nllb", {}, { tokenizer_class: "NllbTokenizerFast", additional_special_tokens: NLLB }));
    const lookup = vocab(NLLB, 256000);
    expect(resolvePair(scheme, "nllb", lookup, "en", "de")).toMatchObject({ from: "eng_Latn", to: "deu_Latn", forcedBosTokenId: 256000 });
    expect(resolvePair(scheme, "nllb", lookup, "English", "Persian").to).toBe("pes_Arab");
    expect(resolvePair(scheme, "nllb", lookup, "en", "ar").to).toBe("arb_Arab");
    expect(resolvePair(scheme, "nllb", lookup, "en", "zho_Hant").to).toBe("zho_Hant");
    expect(() => resolvePair(scheme, "nllb", lookup, "en", "zh")).toThrow(/"zh" matches several languages of nllb: zho_Hans, zho_Hant/);
    expect(() => resolvePair(scheme, "nllb", lookup, undefined, "de")).toThrow(/say which language to translate from/);
    // A code the config lists but the vocabulary lacks is a broken model, not a user error.
    expect(() => resolvePair(scheme, "nllb", vocab(["eng_Latn"]), "en", "de")).toThrow(expect.objectContaining({ code: "MODEL_FORMAT" }));
  });

  it("M2M100: __xx__ tokens", () => {
    const scheme = detectScheme(source("m2m", {}, { tokenizer_class: "M2M100Tokenizer", additional_special_tokens: M2M }));
    expect(resolvePair(scheme, "m2m", vocab(M2M), "fr", "German")).toMatchObject({
      from: "__fr__",
      to: "__de__",
      sourceToken: { id: 1002 },
      forcedBosTokenId: 1000,
    });
  });

  it("Marian: one pair needs nothing; another pair is refused; a multi-target model gets its >>xx<< token", () => {
    const single = detectScheme(source("Xenova/opus-mt-en-de", {}, {}));
    expect(resolvePair(single, "opus", vocab([]), undefined, undefined)).toMatchObject({
      from: "en",
      to: "de",
      prefix: "",
      forcedBosTokenId: undefined,
    });
    expect(resolvePair(single, "opus", vocab([]), "English", "deu")).toMatchObject({ prefix: "" });
    expect(() => resolvePair(single, "opus", vocab([]), undefined, "fr")).toThrow(/translates en -> de; it cannot translate to "fr"/);
    expect(() => resolvePair(single, "opus", vocab([]), "ja", undefined)).toThrow(expect.objectContaining({ code: "INPUT" }));
    const multi = detectScheme(source("Helsinki-NLP/opus-mt-en-ROMANCE", {}, {}));
    expect(resolvePair(multi, "romance", vocab([">>fr<<", ">>es<<"]), undefined, "French")).toMatchObject({ prefix: ">>fr<< ", to: "fr" });
    // Unknown model languages cannot be checked, so any pair is passed through.
    expect(resolvePair(detectScheme(source("./local", {}, {})), "local", vocab([]), "en", "de")).toMatchObject({ from: "en", to: "de" });
  });
});

describe("language codes", () => {
  it("match across spellings", () => {
    expect(codeLanguage("deu_Latn")).toBe("deu");
    expect(codeLanguage("__de__")).toBe("de");
    expect(codeLanguage(">>pt_BR<<")).toBe("pt");
    expect(languageKeys("German")).toEqual(expect.arrayContaining(["de", "deu", "german"]));
    expect(languageKeys("tlh")).toEqual(["tlh"]);
    expect(matchLanguage("de_DE", NLLB)).toEqual(["deu_Latn"]);
    expect(matchLanguage("ZHO_HANS", NLLB)).toEqual(["zho_Hans"]);
    expect(sameLanguage("ro", "Romanian")).toBe(true);
    expect(sameLanguage("en", "de")).toBe(false);
  });

  it("frame the encoder input as each tokenizer does", () => {
    expect(frameWithLanguage([10, 11], 250004, 2, "prefix")).toEqual([250004, 10, 11, 2]);
    expect(frameWithLanguage([10, 11], 250004, 2, "suffix")).toEqual([10, 11, 2, 250004]);
  });
});
