/**
 * How a vocabulary's token strings encode bytes: GPT-2's byte-to-unicode mapping (`"byte_level"`), SentencePiece's
 * `▁` for a space and `<0xXX>` byte tokens (`"byte_fallback"`), or the text itself (`"raw"`, WordPiece and the like).
 * The names are XGrammar's.
 */
export type VocabularyEncoding = "byte_level" | "byte_fallback" | "raw";

/** A tokenizer's vocabulary as a grammar engine needs it. */
export interface TokenizerVocabulary {
  /** Per id, the token string in the vocabulary's encoding; `""` for special tokens (and ids with no token). */
  tokens: string[];
  /** How the strings of {@link TokenizerVocabulary.tokens} encode bytes. */
  encoding: VocabularyEncoding;
  /** Whether the tokenizer puts a space before the text (SentencePiece's `add_prefix_space`). */
  prependSpace: boolean;
  /** Ids of the special tokens (added tokens marked special): they never stand for text. */
  specialIds: number[];
}

interface TokenizerJson {
  model?: { type?: string; vocab?: Record<string, number> | [string, number][]; byte_fallback?: boolean };
  added_tokens?: { id: number; content: string; special?: boolean }[];
  decoder?: JsonComponent | null;
  pre_tokenizer?: JsonComponent | null;
}

interface JsonComponent {
  type?: string;
  decoders?: JsonComponent[];
  pretokenizers?: JsonComponent[];
  add_prefix_space?: boolean;
  prepend_scheme?: string;
}

/**
 * Reads the vocabulary of a `tokenizer.json` (its text): every token string by id, added tokens included (special
 * ones as `""`, other added tokens put in the vocabulary's byte encoding), and how the strings encode bytes, read
 * from the decoder (`ByteLevel` → byte-level BPE; `ByteFallback`, `Metaspace` or a model with `byte_fallback` →
 * SentencePiece's conventions).
 *
 * @example
 * const { tokens, encoding } = parseVocabulary(await readFile("tokenizer.json", "utf8")); // encoding: "byte_level" for GPT-2
 */
export function parseVocabulary(json: string): TokenizerVocabulary {
  const parsed = JSON.parse(json) as TokenizerJson;
  const types = new Set([...componentTypes(parsed.decoder), ...componentTypes(parsed.pre_tokenizer)]);
  const encoding: VocabularyEncoding = types.has("ByteLevel")
    ? "byte_level"
    : parsed.model?.byte_fallback || types.has("ByteFallback") || types.has("Metaspace")
      ? "byte_fallback"
      : "raw";
  const tokens: string[] = [];
  const vocab = parsed.model?.vocab ?? {};
  if (Array.isArray(vocab)) {
    vocab.forEach(([token], id) => {
      tokens[id] = token;
    });
  } else for (const [token, id] of Object.entries(vocab)) tokens[id] = token;
  const specialIds: number[] = [];
  for (const added of parsed.added_tokens ?? []) {
    if (added.special) specialIds.push(added.id);
    tokens[added.id] = added.special ? "" : encodeAdded(added.content, encoding);
  }
  for (let id = 0; id < tokens.length; id++) tokens[id] ??= "";
  return { tokens, encoding, prependSpace: prependsSpace(parsed.pre_tokenizer), specialIds };
}

function componentTypes(component: JsonComponent | null | undefined): string[] {
  if (!component) return [];
  const inner = [...(component.decoders ?? []), ...(component.pretokenizers ?? [])];
  return [component.type ?? "", ...inner.flatMap(componentTypes)];
}

function prependsSpace(component: JsonComponent | null | undefined): boolean {
  if (!component) return false;
  if (component.type === "Metaspace")
    return component.prepend_scheme ? component.prepend_scheme !== "never" : component.add_prefix_space !== false;
  return (component.pretokenizers ?? []).some(prependsSpace);
}

/** An added (non-special) token's text in the vocabulary's byte encoding. */
function encodeAdded(text: string, encoding: VocabularyEncoding): string {
  if (encoding === "byte_level") return [...new TextEncoder().encode(text)].map((b) => BYTE_TO_UNICODE[b]).join("");
  if (encoding === "byte_fallback") return text.replaceAll(" ", "\u2581");
  return text;
}

/**
 * GPT-2's byte-to-unicode table: printable Latin-1 bytes stand for themselves, the others (controls, space, ...)
 * for the code points from U+0100 up, in byte order.
 */
export const BYTE_TO_UNICODE: readonly string[] = (() => {
  const table: string[] = new Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCodePoint(printable ? b : next++);
  }
  return table;
})();

const UNICODE_TO_BYTE = new Map(BYTE_TO_UNICODE.map((char, byte) => [char, byte]));
const bytesOf = new WeakMap<TokenizerVocabulary, readonly Uint8Array[]>();

/**
 * The bytes each token of a vocabulary stands for, computed once per vocabulary: GPT-2's byte-to-unicode characters
 * mapped back, SentencePiece's `▁` as a space and `<0xXX>` as its byte, other vocabularies' text as UTF-8; special
 * tokens (and ids without a token) stand for no bytes.
 *
 * @example
 * const bytes = vocabularyBytes(tokenizer.vocabulary())[id]; // Uint8Array
 */
export function vocabularyBytes(vocabulary: TokenizerVocabulary): readonly Uint8Array[] {
  let bytes = bytesOf.get(vocabulary);
  if (!bytes) {
    bytes = vocabulary.tokens.map((piece) => pieceBytes(piece, vocabulary.encoding));
    bytesOf.set(vocabulary, bytes);
  }
  return bytes;
}

function pieceBytes(piece: string, encoding: VocabularyEncoding): Uint8Array {
  const utf8 = new TextEncoder();
  if (encoding === "byte_level") {
    const out: number[] = [];
    for (const char of piece) {
      const byte = UNICODE_TO_BYTE.get(char);
      if (byte === undefined) out.push(...utf8.encode(char));
      else out.push(byte);
    }
    return Uint8Array.from(out);
  }
  if (encoding === "byte_fallback") {
    const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
    if (byte) return Uint8Array.of(Number.parseInt(byte[1] as string, 16));
    return utf8.encode(piece.replaceAll("\u2581", " "));
  }
  return utf8.encode(piece);
}
