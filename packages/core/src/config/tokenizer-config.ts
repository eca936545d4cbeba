import { bool, type JsonObject, num, readJsonObject, str } from "./read-json.js";

/** A model's `tokenizer_config.json`, typed and in camelCase. */
export interface TokenizerConfig {
  /** `tokenizer_class`, e.g. `"BertTokenizer"`. */
  tokenizerClass: string | undefined;
  /** Longest input the model accepts, when the file says (huge sentinel values are dropped). */
  modelMaxLength: number | undefined;
  /** Side to pad batches on. */
  paddingSide: "left" | "right" | undefined;
  /** Side to cut long inputs on. */
  truncationSide: "left" | "right" | undefined;
  /** Whether decoding cleans up spaces before punctuation (`clean_up_tokenization_spaces`). */
  cleanUpTokenizationSpaces: boolean | undefined;
  /** Special tokens by role, as strings. */
  specialTokens: {
    bos?: string;
    eos?: string;
    unk?: string;
    pad?: string;
    mask?: string;
    cls?: string;
    sep?: string;
  };
  /** The Jinja chat template, when the model has one. */
  chatTemplate: string | undefined;
  /** The file as read. */
  raw: JsonObject;
}

/**
 * Reads and types a `tokenizer_config.json`.
 *
 * @example
 * const tc = await readTokenizerConfig("/models/bert/tokenizer_config.json");
 * tc.modelMaxLength; // 512
 */
export async function readTokenizerConfig(path: string): Promise<TokenizerConfig> {
  return parseTokenizerConfig(await readJsonObject(path));
}

/** Values above this are transformers' "no limit" sentinel (`int(1e30)`), not a real window. */
const NO_LIMIT = 1e12;

/**
 * Types a tokenizer config object.
 *
 * @example
 * parseTokenizerConfig({ model_max_length: 512, padding_side: "left" }).paddingSide; // "left"
 */
export function parseTokenizerConfig(raw: JsonObject): TokenizerConfig {
  const maxLength = num(raw, "model_max_length");
  const side = (key: string): "left" | "right" | undefined => {
    const v = str(raw, key);
    return v === "left" || v === "right" ? v : undefined;
  };
  const chat = raw.chat_template;
  return {
    tokenizerClass: str(raw, "tokenizer_class"),
    modelMaxLength: maxLength !== undefined && maxLength < NO_LIMIT ? maxLength : undefined,
    paddingSide: side("padding_side"),
    truncationSide: side("truncation_side"),
    cleanUpTokenizationSpaces: bool(raw, "clean_up_tokenization_spaces"),
    specialTokens: {
      ...opt("bos", tokenString(raw.bos_token)),
      ...opt("eos", tokenString(raw.eos_token)),
      ...opt("unk", tokenString(raw.unk_token)),
      ...opt("pad", tokenString(raw.pad_token)),
      ...opt("mask", tokenString(raw.mask_token)),
      ...opt("cls", tokenString(raw.cls_token)),
      ...opt("sep", tokenString(raw.sep_token)),
    },
    chatTemplate: typeof chat === "string" ? chat : chatTemplateFromList(chat),
    raw,
  };
}

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** A special token is a string, or an AddedToken object `{ content: "..." }`. */
function tokenString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as { content?: unknown }).content === "string") {
    return (value as { content: string }).content;
  }
  return undefined;
}

/** Some models ship a list of named templates; the one named "default" is the chat template. */
function chatTemplateFromList(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const entry of value) {
    if (entry && typeof entry === "object" && (entry as { name?: unknown }).name === "default") {
      const template = (entry as { template?: unknown }).template;
      if (typeof template === "string") return template;
    }
  }
  return undefined;
}
