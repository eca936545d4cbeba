import type { LoadedModel, ModelConfig, TokenizerConfig } from "@proj/core";

/**
 * How a model is told which languages to translate between:
 * - `"task-prefix"`: T5-style, one `task_specific_params.translation_xx_to_yy` per pair with a text prefix
 *   (`"translate English to German: "`);
 * - `"language-tokens"`: multilingual models (mBART-50, NLLB, M2M100) with a token per language: the source
 *   language token goes into the encoder input, the target language token is forced as the first generated token;
 * - `"single-pair"`: models trained for one pair (Marian `opus-mt-en-de`), which need nothing; multi-target Marian
 *   models take a `>>xx<<` token before the text.
 *
 * @example
 * const translator = await createTranslator("Xenova/nllb-200-distilled-600M");
 * if (translator.scheme.kind === "language-tokens") console.log(translator.scheme.codes.length); // 202
 */
export type TranslationScheme =
  | { kind: "task-prefix"; pairs: TaskPair[] }
  | {
      kind: "language-tokens";
      codes: string[];
      placement: "prefix" | "suffix";
      defaultFrom: string | undefined;
      defaultTo: string | undefined;
    }
  | { kind: "single-pair"; from: string | undefined; to: string | undefined };

/**
 * One translation task of a T5-style model.
 *
 * @example
 * const pair: TaskPair = { task: "translation_en_to_de", from: "en", to: "de", prefix: "translate English to German: " };
 */
export interface TaskPair {
  /** Key in `task_specific_params`, e.g. `"translation_en_to_de"`. */
  task: string;
  /** Source language code, e.g. `"en"`. */
  from: string;
  /** Target language code, e.g. `"de"`. */
  to: string;
  /** Text put before the input, e.g. `"translate English to German: "`. */
  prefix: string;
}

/** What the scheme needs to know about a model; a {@link LoadedModel} provides it. @internal */
export interface SchemeSource {
  /** Model name for messages. */
  label: string;
  config: Pick<ModelConfig, "taskSpecificParams">;
  tokenizerConfig: Pick<TokenizerConfig, "tokenizerClass" | "raw"> | undefined;
}

/**
 * The {@link SchemeSource} of a loaded model.
 *
 * @internal
 */
export function schemeSourceOf(model: LoadedModel): SchemeSource {
  return { label: model.source.label, config: model.config, tokenizerConfig: model.tokenizerConfig };
}

const TASK = /^translation_([A-Za-z-]+)_to_([A-Za-z-]+)$/;
const LANGUAGE_TOKEN = [
  /^[a-z]{2,3}_[A-Z]{2}$/, // mBART: en_XX, de_DE
  /^[a-z]{3}_[A-Z][a-z]{3}$/, // NLLB: eng_Latn
  /^__[a-z]{2,3}(_[A-Za-z]+)?__$/, // M2M100: __en__
];
const OPUS = /opus-mt-(?:tc-big-)?([a-z]{2,3})-([a-z]{2,3})(?:$|[^a-z])/i;

/**
 * Tells how a model selects languages, from its config and tokenizer config (see {@link TranslationScheme}).
 *
 * @example
 * detectScheme(schemeSourceOf(model)); // { kind: "task-prefix", pairs: [{ task: "translation_en_to_de", ... }] }
 */
export function detectScheme(source: SchemeSource): TranslationScheme {
  const raw = source.tokenizerConfig?.raw ?? {};
  const codes = languageTokens(raw.additional_special_tokens);
  if (codes.length >= 2) {
    return {
      kind: "language-tokens",
      codes,
      placement: sourcePlacement(source.tokenizerConfig?.tokenizerClass, raw.legacy_behaviour === true),
      defaultFrom: typeof raw.src_lang === "string" ? raw.src_lang : undefined,
      defaultTo: typeof raw.tgt_lang === "string" ? raw.tgt_lang : undefined,
    };
  }
  const pairs: TaskPair[] = [];
  for (const [task, params] of Object.entries(source.config.taskSpecificParams)) {
    const match = TASK.exec(task);
    if (match)
      pairs.push({
        task,
        from: match[1] as string,
        to: match[2] as string,
        prefix: typeof params.prefix === "string" ? params.prefix : "",
      });
  }
  if (pairs.length) return { kind: "task-prefix", pairs };
  const opus = OPUS.exec(source.label);
  const from = typeof raw.source_lang === "string" ? raw.source_lang : opus?.[1];
  const to = typeof raw.target_lang === "string" ? raw.target_lang : opus?.[2];
  return { kind: "single-pair", from, to };
}

/**
 * Where the source language token goes in the encoder input: before the text (`[lang] text </s>`: mBART-50,
 * NLLB, M2M100) or after it (`text </s> [lang]`: the original mBART tokenizer and NLLB's legacy behaviour).
 *
 * @internal
 */
export function sourcePlacement(tokenizerClass: string | undefined, legacy: boolean): "prefix" | "suffix" {
  const cls = (tokenizerClass ?? "").replace(/Fast$/, "");
  if (cls === "MBartTokenizer") return "suffix";
  if (cls === "NllbTokenizer" && legacy) return "suffix";
  return "prefix";
}

function languageTokens(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const tokens = value.map((t: unknown) =>
    typeof t === "string" ? t : t && typeof t === "object" ? (t as { content?: unknown }).content : undefined,
  );
  return tokens.filter((t): t is string => typeof t === "string" && LANGUAGE_TOKEN.some((re) => re.test(t)));
}
