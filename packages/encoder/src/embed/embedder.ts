import { DEFAULT_MODELS } from "@proj/chooser";
import { type Encoding, InputError } from "@proj/core";
import { checkBatchSize, forwardRows, type RowOutput } from "../shared/batching.js";
import { defaultModel } from "../shared/default-model.js";
import { BaseHandle, checkModelId, type EncoderHandle } from "../shared/encoder-handle.js";
import { EncoderModel } from "../shared/encoder-model.js";
import { requireHead } from "../shared/head.js";
import { CREATE_OPTION_NAMES, type CreateOptions, checkTaskOptions } from "../shared/options.js";
import type { TaskInfo } from "../shared/task.js";
import { checkChoice, checkInteger, describe } from "../shared/validate.js";
import { type EncodedRows, encodeRows, windowPlan } from "../shared/windows.js";
import { normalizeInPlace, pool } from "./pool.js";
import { quantize } from "./quantize.js";
import { readSentenceTransformers, type SentenceTransformersConfig } from "./st-config.js";
import { EMBED_CALL_OPTION_NAMES, type EmbedCallOptions, type Embedding, type EmbeddingOf, type Pooling, type Precision } from "./types.js";

/**
 * The chooser's Hub model for feature extraction: sentence-transformers' all-MiniLM-L6-v2 (English, 384 dimensions,
 * mean pooling, normalized), in its ONNX export. {@link embed} without a model uses the small English–German
 * embedding model embedded in `@proj/models` (offline) when it is installed, and this one otherwise.
 *
 * @example
 * const embedder = await createEmbedder(DEFAULT_EMBED_MODEL);
 */
export const DEFAULT_EMBED_MODEL: string = DEFAULT_MODELS["feature-extraction"];

/**
 * How embed() names itself in errors.
 *
 * @example
 * requireHead(session, [{ name: "last_hidden_state", rank: 3 }], label, vocabSize, EMBED_TASK);
 * @internal
 */
export const EMBED_TASK: TaskInfo = {
  fn: "embed",
  what: "feature extraction",
  exportTask: "feature-extraction",
  example: DEFAULT_EMBED_MODEL,
};

/**
 * What every embedder does, whether its model runs in this process ({@link Embedder}) or on a serving engine
 * (`createRemoteEmbedder`): `embed()` with the same options and result types, and `dispose()`. The one-shot
 * {@link embed} takes any of them as `model`.
 *
 * @example
 * const embedder: TextEmbedder = process.env.TEI_URL
 *   ? createRemoteEmbedder({ kind: "tei", baseURL: process.env.TEI_URL })
 *   : await createEmbedder("Xenova/all-MiniLM-L6-v2");
 * const vectors = await embed(texts, { model: embedder });
 */
export interface TextEmbedder {
  readonly task: "embed";
  /** True once {@link TextEmbedder.dispose} has run. */
  readonly disposed: boolean;
  /** Embeds one text. */
  embed<P extends Precision = "float32">(text: string, options?: EmbedCallOptions<P>): Promise<EmbeddingOf<P>>;
  /** Embeds many texts: one embedding per text, in input order (`[]` for `[]`). */
  embed<P extends Precision = "float32">(texts: string[], options?: EmbedCallOptions<P>): Promise<Array<EmbeddingOf<P>>>;
  /** Frees what the embedder holds (a remote one only marks itself disposed). Safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * A text embedder that keeps its model loaded: create it once, embed many times, `dispose()` it when done.
 * Each text becomes one typed array (see {@link EmbeddingOf}): rows that a vector store takes as they are.
 *
 * @example
 * const embedder = await createEmbedder("Xenova/all-MiniLM-L6-v2");
 * const [a, b] = await embedder.embed(["a dog runs", "a puppy is running"]);
 * cosineSimilarity(a, b); // 0.8...
 * await embedder.dispose();
 */
export interface Embedder extends TextEmbedder, EncoderHandle {
  readonly task: "embed";
  /** The model's hidden size: the length of a float32 embedding before `dimensions`. */
  readonly dimensions: number;
  /** The model's pooling (sentence-transformers config), or `undefined` when calls must pass `pooling`. */
  readonly pooling: Pooling | undefined;
  /** The named prompts of the model's `config_sentence_transformers.json`. */
  readonly prompts: Readonly<Record<string, string>>;
  /** Embeds one text. */
  embed<P extends Precision = "float32">(text: string, options?: EmbedCallOptions<P>): Promise<EmbeddingOf<P>>;
  /** Embeds many texts in length-bucketed batches: one embedding per text, in input order (`[]` for `[]`). */
  embed<P extends Precision = "float32">(texts: string[], options?: EmbedCallOptions<P>): Promise<Array<EmbeddingOf<P>>>;
}

/**
 * Loads a feature-extraction model (an Optimum export with `last_hidden_state`, or `token_embeddings`) from a
 * folder or a Hub id, with its sentence-transformers settings (pooling, Normalize module, prompts,
 * `max_seq_length`) when the folder has them.
 *
 * @example
 * const embedder = await createEmbedder("Xenova/bge-small-en-v1.5", { load: { threads: 2 } });
 * const query = await embedder.embed("how do dogs run?", { prompt: "Represent this sentence for searching relevant passages: " });
 */
export async function createEmbedder(model?: string, options?: CreateOptions): Promise<Embedder> {
  const id = checkModelId(model, "createEmbedder", defaultModel("feature-extraction"));
  const checked = checkTaskOptions(options, "createEmbedder", CREATE_OPTION_NAMES);
  const encoder = await EncoderModel.open(id, checked, EMBED_TASK, []);
  try {
    const session = encoder.session;
    const output =
      session.outputNames.includes("last_hidden_state") || !session.outputNames.includes("token_embeddings")
        ? "last_hidden_state"
        : "token_embeddings";
    requireHead(session, [{ name: output, rank: 3 }], encoder.label, encoder.model.config.vocabSize, EMBED_TASK);
    const st = await readSentenceTransformers(encoder.model.source, checked.signal);
    return new EmbedderHandle(encoder, output, st);
  } catch (error) {
    await encoder.dispose();
    throw error;
  }
}

class EmbedderHandle extends BaseHandle implements Embedder {
  readonly task = "embed" as const;
  readonly #output: string;
  readonly #st: SentenceTransformersConfig;

  constructor(encoder: EncoderModel, output: string, st: SentenceTransformersConfig) {
    super(encoder);
    this.#output = output;
    this.#st = st;
  }

  get dimensions(): number {
    return this.encoder.model.config.hiddenSize ?? 0;
  }

  get pooling(): Pooling | undefined {
    return this.#st.pooling;
  }

  get prompts(): Readonly<Record<string, string>> {
    return this.#st.prompts;
  }

  override get maxLength(): number {
    return Math.min(this.encoder.maxLength, this.#st.maxSeqLength ?? Number.POSITIVE_INFINITY);
  }

  embed<P extends Precision = "float32">(text: string, options?: EmbedCallOptions<P>): Promise<EmbeddingOf<P>>;
  embed<P extends Precision = "float32">(texts: string[], options?: EmbedCallOptions<P>): Promise<Array<EmbeddingOf<P>>>;
  async embed(input: string | string[], options: EmbedCallOptions = {}): Promise<Embedding | Embedding[]> {
    this.ensureOpen();
    checkTaskOptions(options, "embed", EMBED_CALL_OPTION_NAMES);
    const single = typeof input === "string";
    const texts = checkEmbedTexts(input);
    const pooling = this.#pooling(options.pooling);
    const normalize = checkBoolean(options.normalize, "normalize") ?? this.#st.normalize ?? false;
    const dimensions = this.#dimensions(options.dimensions);
    const prompt = this.#prompt(options.prompt, options.promptName);
    const precision = checkChoice(options.precision, "precision", ["float32", "int8", "uint8", "binary", "ubinary"], "float32");
    const batchSize = checkBatchSize(options.batchSize);
    const truncation = checkChoice(options.truncation, "truncation", ["error", "truncate", "window"], "error");
    if (texts.length === 0) return [];
    const plan = windowPlan(this.maxLength, options.maxLength, options.stride, truncation === "window" ? "window" : "truncate");
    const prompted = prompt === "" ? texts : texts.map((t) => prompt + t);
    const { rows, owner } =
      truncation === "error"
        ? await this.#encodeFitting(prompted, plan.maxLength)
        : await encodeRows(this.encoder.model.tokenizer, prompted, plan);
    const outputs = await forwardRows(this.encoder, rows, [this.#output], batchSize, options.signal);
    const vectors = this.#pool(
      texts.length,
      rows,
      outputs.map((o) => o[this.#output] as RowOutput),
      owner,
      pooling,
    );
    const floats = vectors.map((v) => {
      const cut = dimensions < v.length ? v.subarray(0, dimensions) : v;
      return Float32Array.from(normalize ? normalizeInPlace(cut) : cut);
    });
    const result = quantize(floats, precision, options.ranges);
    return single ? (result[0] as Embedding) : result;
  }

  /** Pools each row and averages the rows (windows) of each text; a text of one row keeps its pooled row as it is. */
  #pool(
    count: number,
    rows: readonly Encoding[],
    hidden: readonly RowOutput[],
    owner: readonly number[],
    pooling: Pooling,
  ): Float64Array[] {
    const size = hidden[0]?.dims[1] ?? this.dimensions;
    const sums = new Array<Float64Array | undefined>(count);
    const counts = new Array<number>(count).fill(0);
    hidden.forEach((out, r) => {
      const text = owner[r] as number;
      const pooled = pool(out.data, (rows[r] as Encoding).ids.length, size, pooling);
      const sum = sums[text];
      if (sum === undefined) sums[text] = pooled;
      else for (let d = 0; d < size; d++) sum[d] = (sum[d] as number) + (pooled[d] as number);
      counts[text] = (counts[text] as number) + 1;
    });
    return Array.from({ length: count }, (_, t) => {
      const sum = sums[t] ?? new Float64Array(size);
      const n = counts[t] as number;
      if (n > 1) for (let d = 0; d < size; d++) sum[d] = (sum[d] as number) / n;
      return sum;
    });
  }

  #pooling(requested: unknown): Pooling {
    if (requested !== undefined) return checkChoice(requested, "pooling", ["mean", "cls", "last", "max"], "mean");
    if (this.#st.pooling) return this.#st.pooling;
    throw new InputError(
      `${this.encoder.label} has no sentence-transformers pooling config (1_Pooling/config.json), so embed() needs the pooling option`,
      {
        hint: 'pass { pooling: "mean" } (most sentence-transformers models), "cls" (BGE), "last" or "max", as the model card says',
      },
    );
  }

  #dimensions(requested: unknown): number {
    if (requested === undefined) return this.dimensions;
    return checkInteger(
      requested,
      "dimensions",
      1,
      this.dimensions,
      `the model's embeddings have ${this.dimensions} dimensions: pass 1 to ${this.dimensions}, or omit dimensions`,
    );
  }

  #prompt(prompt: unknown, promptName: unknown): string {
    if (prompt !== undefined && promptName !== undefined) {
      throw new InputError("embed() takes prompt or promptName, not both", {
        hint: "pass the prompt text, or the name of one of the model's prompts",
      });
    }
    if (prompt !== undefined) {
      if (typeof prompt !== "string")
        throw new InputError(`prompt must be a string, got ${describe(prompt)}`, { hint: 'pass e.g. { prompt: "query: " }' });
      return prompt;
    }
    const name = promptName ?? this.#st.defaultPromptName;
    if (name === undefined) return "";
    const names = Object.keys(this.#st.prompts);
    const text = typeof name === "string" && Object.hasOwn(this.#st.prompts, name) ? this.#st.prompts[name] : undefined;
    if (text === undefined) {
      throw new InputError(
        `promptName ${typeof name === "string" ? `"${name}"` : describe(name)} is not a prompt of ${this.encoder.label}`,
        {
          hint: names.length
            ? `its prompts are ${names.map((n) => `"${n}"`).join(", ")}`
            : "the model has no config_sentence_transformers.json prompts: pass { prompt } with the text instead",
        },
      );
    }
    if (text !== "" && !this.#st.includePrompt) {
      throw new InputError(
        `${this.encoder.label} pools without its prompt tokens (include_prompt: false), which embed() does not reproduce`,
        {
          hint: "embed without a prompt, or use a model whose pooling includes the prompt",
        },
      );
    }
    return text;
  }

  /** Tokenizes the texts once, untruncated, and refuses the first one longer than `maxLength`: one row per text. */
  async #encodeFitting(texts: readonly string[], maxLength: number): Promise<EncodedRows> {
    const encodings = await this.encoder.model.tokenizer.encodeBatch(texts);
    const long = encodings.findIndex((e) => e.ids.length > maxLength);
    if (long < 0) return { rows: encodings, owner: encodings.map((_, i) => i) };
    throw new InputError(
      `texts[${long}] is ${(encodings[long] as Encoding).ids.length} tokens long; the model embeds at most ${maxLength}`,
      {
        hint: 'pass { truncation: "truncate" } to embed its first tokens, or { truncation: "window" } to average windows over the whole text',
      },
    );
  }
}

/**
 * Checks embed()'s input: a string or an array of strings (possibly empty), none empty or only whitespace.
 *
 * @example
 * checkEmbedTexts([]); // []
 * @internal
 */
export function checkEmbedTexts(input: unknown): string[] {
  const texts = typeof input === "string" ? [input] : input;
  if (!Array.isArray(texts)) {
    throw new InputError(`embed() expects a string or an array of strings, got ${describe(input)}`, { hint: "pass the texts to embed" });
  }
  texts.forEach((t, i) => {
    const name = typeof input === "string" ? "text" : `texts[${i}]`;
    if (typeof t !== "string")
      throw new InputError(`embed() expects ${name} to be a string, got ${describe(t)}`, { hint: "pass plain text" });
    if (t.trim() === "") {
      throw new InputError(`embed() was given ${t === "" ? "an empty string" : "a text of only whitespace"} as ${name}`, {
        hint: "leave it out: an empty text has no meaning to embed",
      });
    }
  });
  return texts as string[];
}

function checkBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new InputError(`${name} must be true or false, got ${describe(value)}`);
}
