import { readFile } from "node:fs/promises";
import { Tokenizer as RustTokenizer } from "tokenizers";
import type { TokenizerConfig } from "../config/tokenizer-config.js";
import { InputError, ModelFormatError } from "../errors.js";
import { cleanUpTokenization } from "./clean-up.js";
import { type Encoding, fromRustEncoding } from "./encoding.js";
import { StreamDecoder } from "./stream-decoder.js";
import { parseVocabulary, type TokenizerVocabulary } from "./vocabulary.js";

/** How a text pair is cut when it is too long: which of the two gives up tokens. */
export type TruncationStrategy = "longest_first" | "only_first" | "only_second";

/** Options of {@link Tokenizer.encode}. */
export interface EncodeOptions {
  /** A second text, for sentence-pair tasks (question + context). */
  pair?: string;
  /** Add the model's special tokens (`[CLS] ... [SEP]`, `</s>`). @defaultValue true */
  addSpecialTokens?: boolean;
  /** Cut the encoding to at most this many tokens, special tokens included. No cut when omitted. */
  maxLength?: number;
  /** Which text gives up tokens when a pair is too long. @defaultValue "longest_first" */
  truncation?: TruncationStrategy;
  /** Cut from the end (`"right"`) or the start (`"left"`). @defaultValue the tokenizer config's, else "right" */
  truncationSide?: "left" | "right";
}

/** Options of {@link Tokenizer.encodeWindows}. */
export interface WindowOptions {
  /** A second text; with `truncation: "only_second"` the windows slide over it. */
  pair?: string;
  /** Tokens per window, special tokens included. */
  maxLength: number;
  /** Tokens each window repeats from the previous one. */
  stride: number;
  /** Which text is split into windows. @defaultValue "only_second" with a pair, else "only_first" */
  truncation?: TruncationStrategy;
}

/** Options of {@link Tokenizer.decode}. */
export interface DecodeOptions {
  /** Leave out special tokens. @defaultValue true */
  skipSpecialTokens?: boolean;
  /**
   * Remove spaces before punctuation and contractions (`" ."` -> `"."`). Defaults to the tokenizer config's
   * `clean_up_tokenization_spaces`, and to `true` when the config does not say, as transformers.js and older
   * transformers versions do.
   */
  cleanUpTokenizationSpaces?: boolean;
}

/** Ids of the special tokens a model declares. */
export interface SpecialTokenIds {
  bos?: number;
  eos?: number;
  unk?: number;
  pad?: number;
  mask?: number;
  cls?: number;
  sep?: number;
}

/**
 * A Hugging Face fast tokenizer (`tokenizer.json`) run by the Rust `tokenizers` library:
 * character offsets, sentence pairs, overflow windows with stride, batches and decoding.
 *
 * @example
 * const tokenizer = await Tokenizer.fromFile("/models/bert/tokenizer.json", tokenizerConfig);
 * const { ids, offsets } = await tokenizer.encode("Hello world");
 */
export class Tokenizer {
  /** The tokenizer config this tokenizer was loaded with, when there was one. */
  readonly config: TokenizerConfig | undefined;
  /** Ids of the special tokens the config names. */
  readonly specialIds: SpecialTokenIds;
  readonly #json: string;
  readonly #base: RustTokenizer;
  readonly #variants = new Map<string, RustTokenizer>();
  readonly #specialIdSet: Set<number>;
  #vocabulary: TokenizerVocabulary | undefined;
  #singleSpecials: number | undefined;
  #pairSpecials: number | undefined;

  private constructor(json: string, base: RustTokenizer, config: TokenizerConfig | undefined) {
    this.#json = json;
    this.#base = base;
    this.config = config;
    this.specialIds = findSpecialIds(base, config);
    this.#specialIdSet = new Set(Object.values(this.specialIds).filter((v): v is number => v !== undefined));
  }

  /**
   * Loads a `tokenizer.json`, with the model's `tokenizer_config.json` when it has one.
   *
   * @example
   * const tokenizer = await Tokenizer.fromFile("/models/gpt2/tokenizer.json");
   */
  static async fromFile(path: string, config?: TokenizerConfig): Promise<Tokenizer> {
    const json = await readFile(path, "utf8");
    let base: RustTokenizer;
    try {
      base = RustTokenizer.fromString(json);
    } catch (error) {
      throw new ModelFormatError(`${path} is not a valid tokenizer.json: ${(error as Error).message}`, {
        hint: "save the tokenizer again with a recent `tokenizers` or `transformers` (tokenizer.save_pretrained)",
        cause: error,
      });
    }
    // As transformers does, ignore truncation/padding saved inside tokenizer.json: the caller decides per call.
    base.disableTruncation();
    base.disablePadding();
    return new Tokenizer(json, base, config);
  }

  /** Number of tokens, added tokens included. */
  get vocabSize(): number {
    return this.#base.getVocabSize(true);
  }

  /** Longest input the model accepts, from the tokenizer config, when it says. */
  get modelMaxLength(): number | undefined {
    return this.config?.modelMaxLength;
  }

  /**
   * Tokenizes one text (or a text pair).
   *
   * @example
   * const enc = await tokenizer.encode("What is ONNX?", { pair: "ONNX is a format.", maxLength: 384, truncation: "only_second" });
   */
  async encode(text: string, options: EncodeOptions = {}): Promise<Encoding> {
    checkText(text, "text");
    if (options.pair !== undefined) checkText(options.pair, "pair");
    const rust = this.#tokenizerFor(options.maxLength, 0, options.truncation, options.truncationSide);
    const encoding = await rust.encode(text, options.pair ?? null, { addSpecialTokens: addSpecials(options.addSpecialTokens) });
    return fromRustEncoding(encoding, text, options.pair);
  }

  /**
   * Tokenizes many texts at once, in parallel on Rust threads.
   *
   * @example
   * const encodings = await tokenizer.encodeBatch(["first text", "second text"], { maxLength: 512 });
   */
  async encodeBatch(
    texts: readonly string[],
    options: Omit<EncodeOptions, "pair"> & { pairs?: readonly string[] } = {},
  ): Promise<Encoding[]> {
    if (!Array.isArray(texts)) throw new InputError(`Expected an array of texts, got ${describe(texts)}`);
    texts.forEach((t, i) => {
      checkText(t, `texts[${i}]`);
    });
    const pairs = options.pairs;
    if (pairs !== undefined) {
      if (pairs.length !== texts.length)
        throw new InputError(`Got ${texts.length} texts but ${pairs.length} pairs`, { hint: "pass one pair per text" });
      pairs.forEach((t, i) => {
        checkText(t, `pairs[${i}]`);
      });
    }
    if (texts.length === 0) return [];
    const rust = this.#tokenizerFor(options.maxLength, 0, options.truncation, options.truncationSide);
    const encodeOptions = { addSpecialTokens: addSpecials(options.addSpecialTokens) };
    // The binding's encodeBatch takes single strings only (a [text, pair] input fails to convert): pairs are encoded
    // one call each, still in parallel on Rust threads.
    const encodings = pairs
      ? await Promise.all(texts.map((text, i) => rust.encode(text, pairs[i] as string, encodeOptions)))
      : await rust.encodeBatch([...texts], encodeOptions);
    return encodings.map((e, i) => fromRustEncoding(e, texts[i] as string, pairs?.[i]));
  }

  /**
   * Splits a long input into overlapping windows of at most `maxLength` tokens, each repeating `stride`
   * tokens of the previous one, as the Hugging Face pipelines do for question answering and token classification.
   * Offsets index the original texts.
   *
   * @example
   * const windows = await tokenizer.encodeWindows(question, { pair: longContext, maxLength: 384, stride: 128 });
   */
  async encodeWindows(text: string, options: WindowOptions): Promise<Encoding[]> {
    checkText(text, "text");
    if (options.pair !== undefined) checkText(options.pair, "pair");
    const { maxLength, stride } = options;
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new InputError(`maxLength must be a positive integer, got ${maxLength}`);
    if (!Number.isInteger(stride) || stride < 0 || stride >= maxLength) {
      throw new InputError(`stride must be an integer in [0, maxLength), got ${stride} with maxLength ${maxLength}`);
    }
    const pair = options.pair;
    const strategy = options.truncation ?? (pair !== undefined ? "only_second" : "only_first");
    if (pair !== undefined && strategy === "longest_first") {
      throw new InputError("Windows over a text pair slide over one of the two texts", {
        hint: 'pass truncation: "only_second" (windows over the pair, e.g. a QA context) or "only_first"',
      });
    }
    // The binding's tokenizer-level truncation returns only the first overflow, so windows are cut here:
    // encode without special tokens, split the sliding text with Encoding.truncate (all windows), then add the
    // special tokens to each window with the tokenizer's own post-processor.
    const noSpecial = { addSpecialTokens: false };
    const first = await this.#base.encode(text, null, noSpecial);
    const second = pair === undefined ? undefined : await this.#base.encode(pair, null, noSpecial);
    const sliding = strategy === "only_second" && second ? second : first;
    const fixed = sliding === first ? second : first;
    const specials = await this.#specialTokenCount(pair !== undefined);
    const budget = maxLength - specials - (fixed?.getLength() ?? 0);
    if (budget <= stride) {
      throw new InputError(
        `Cannot split the input into windows of ${maxLength} tokens with stride ${stride}: only ${Math.max(budget, 0)} tokens per window are left for the ${strategy === "only_second" ? "pair" : "text"}`,
        {
          hint: "the text that is not split (the question) must leave room for more than the stride: raise maxLength, lower stride, or shorten it",
        },
      );
    }
    sliding.truncate(budget, stride, "right");
    return [sliding, ...sliding.getOverflowing()].map((window) => {
      const processed =
        second === undefined
          ? this.#base.postProcess(window, null, true)
          : sliding === second
            ? this.#base.postProcess(first, window, true)
            : this.#base.postProcess(window, second, true);
      return fromRustEncoding(processed, text, pair);
    });
  }

  async #specialTokenCount(isPair: boolean): Promise<number> {
    const cached = isPair ? this.#pairSpecials : this.#singleSpecials;
    if (cached !== undefined) return cached;
    const count = (await this.#base.encode("", isPair ? "" : null, { addSpecialTokens: true })).getLength();
    if (isPair) this.#pairSpecials = count;
    else this.#singleSpecials = count;
    return count;
  }

  /**
   * Turns token ids back into text.
   *
   * @example
   * await tokenizer.decode([7592, 2088]); // "hello world"
   */
  async decode(ids: readonly number[], options: DecodeOptions = {}): Promise<string> {
    const skip = options.skipSpecialTokens ?? true;
    const text = await this.#base.decode(ids as number[], skip);
    return (options.cleanUpTokenizationSpaces ?? this.config?.cleanUpTokenizationSpaces ?? true) ? cleanUpTokenization(text) : text;
  }

  /**
   * A detokenizer for streaming: feed it ids one by one and it returns the new text,
   * never half a character and never a lost space.
   *
   * @example
   * const stream = tokenizer.streamDecoder();
   * for (const id of ids) process.stdout.write(await stream.push(id));
   * process.stdout.write(await stream.flush());
   */
  streamDecoder(options: DecodeOptions & { context?: readonly number[] } = {}): StreamDecoder {
    return new StreamDecoder((ids) => this.decode(ids, options), options.context);
  }

  /**
   * Decodes tokens that continue `context` (the end of a prompt): the text they add after it, with the
   * leading space a SentencePiece tokenizer would drop when decoding them alone.
   *
   * @example
   * await tokenizer.decodeContinuation(promptIds.slice(-5), generatedIds); // " jumps over"
   */
  async decodeContinuation(context: readonly number[], ids: readonly number[], options: DecodeOptions = {}): Promise<string> {
    if (context.length === 0) return this.decode(ids, options);
    const before = await this.decode(context, options);
    const after = await this.decode([...context, ...ids], options);
    return after.startsWith(before) ? after.slice(before.length) : await this.decode(ids, options);
  }

  /** Id of a token string, or `undefined` when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined {
    return this.#base.tokenToId(token) ?? undefined;
  }

  /** Token string of an id, or `undefined` when the id is out of range. */
  idToToken(id: number): string | undefined {
    return this.#base.idToToken(id) ?? undefined;
  }

  /**
   * The whole vocabulary as a grammar engine needs it: token strings by id in their byte encoding (byte-level BPE or
   * SentencePiece), special tokens as `""`. Read once from `tokenizer.json`.
   *
   * @example
   * const { tokens, encoding } = tokenizer.vocabulary(); // encoding: "byte_level" for GPT-2
   */
  vocabulary(): TokenizerVocabulary {
    this.#vocabulary ??= parseVocabulary(this.#json);
    return this.#vocabulary;
  }

  /** True for the ids of the special tokens the config names. */
  isSpecial(id: number): boolean {
    return this.#specialIdSet.has(id);
  }

  #tokenizerFor(
    maxLength: number | undefined,
    stride: number,
    strategy: TruncationStrategy | undefined,
    side: "left" | "right" | undefined,
  ): RustTokenizer {
    if (maxLength === undefined) return this.#base;
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new InputError(`maxLength must be a positive integer, got ${maxLength}`);
    const direction = side ?? this.config?.truncationSide ?? "right";
    const key = `${maxLength}|${stride}|${strategy ?? "longest_first"}|${direction}`;
    let rust = this.#variants.get(key);
    if (!rust) {
      // A Rust tokenizer's truncation is state: each setting gets its own instance, so concurrent calls never mix them.
      rust = RustTokenizer.fromString(this.#json);
      rust.disablePadding();
      rust.setTruncation(maxLength, {
        stride,
        strategy: STRATEGIES[strategy ?? "longest_first"] as never,
        direction,
      });
      this.#variants.set(key, rust);
    }
    return rust;
  }
}

const STRATEGIES: Record<TruncationStrategy, string> = {
  longest_first: "LongestFirst",
  only_first: "OnlyFirst",
  only_second: "OnlySecond",
};

function addSpecials(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== "boolean") throw new InputError(`addSpecialTokens must be true or false, got ${describe(value)}`);
  return value;
}

function checkText(value: unknown, name: string): asserts value is string {
  if (typeof value !== "string") {
    throw new InputError(`Expected ${name} to be a string, got ${describe(value)}`, { hint: "pass plain text" });
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

function findSpecialIds(rust: RustTokenizer, config: TokenizerConfig | undefined): SpecialTokenIds {
  const ids: SpecialTokenIds = {};
  const tokens = config?.specialTokens ?? {};
  for (const role of ["bos", "eos", "unk", "pad", "mask", "cls", "sep"] as const) {
    const token = tokens[role];
    if (token === undefined) continue;
    const id = rust.tokenToId(token);
    if (id !== null && id !== undefined) ids[role] = id;
  }
  return ids;
}
