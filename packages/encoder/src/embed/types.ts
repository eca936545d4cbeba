import { optionNames } from "@proj/core/internal";

/**
 * How the token vectors of a text become one vector: the mean of its tokens (`"mean"`, most sentence-transformers
 * models), the first token (`"cls"`, BGE), the last real token (`"last"`, decoder-style embedders) or the
 * per-dimension maximum (`"max"`). Padding never takes part.
 *
 * @example
 * await embed(["a dog runs"], { model: "./my-bge", pooling: "cls" });
 */
export type Pooling = "mean" | "cls" | "last" | "max";

/**
 * The number format of the returned embeddings, with sentence-transformers' `quantize_embeddings` semantics:
 * - `"float32"`: `Float32Array`, one value per dimension;
 * - `"int8"` / `"uint8"`: `Int8Array` / `Uint8Array`, one value per dimension: each dimension's calibration range
 *   `[min, max]` is cut into 255 steps, `floor((x - min) / step)` (minus 128 for int8), computed in float32 as
 *   numpy does; values outside the range are clamped (numpy's cast would wrap);
 * - `"binary"` / `"ubinary"`: one bit per dimension (`x > 0`), packed 8 to a byte, first dimension in the
 *   high bit, the last byte padded with zero bits: `Uint8Array` for `"ubinary"`, and the same bytes minus 128 as
 *   an `Int8Array` for `"binary"`.
 *
 * @example
 * const [bits] = await embed(["a dog runs"], { precision: "ubinary" }); // Uint8Array of dims/8 bytes
 */
export type Precision = "float32" | "int8" | "uint8" | "binary" | "ubinary";

/**
 * The typed array an embedding comes back as for a {@link Precision}.
 *
 * @example
 * const row: EmbeddingOf<"int8"> = new Int8Array(384);
 */
export type EmbeddingOf<P extends Precision> = P extends "int8" | "binary"
  ? Int8Array
  : P extends "uint8" | "ubinary"
    ? Uint8Array
    : Float32Array;

/**
 * Any embedding: `Float32Array` for float32, `Int8Array` for int8 and binary, `Uint8Array` for uint8 and ubinary.
 *
 * @example
 * const rows: Embedding[] = await embed(texts);
 */
export type Embedding = Float32Array | Int8Array | Uint8Array;

/**
 * Per-dimension calibration ranges for `precision: "int8"` or `"uint8"`: the smallest and largest value each
 * dimension takes, measured on a sample of your corpus (embedded as float32 with the same options).
 *
 * @example
 * const sample = await embed(corpusSample);
 * const ranges = calibrationRanges(sample);
 * const codes = await embed(texts, { precision: "int8", ranges });
 */
export interface QuantizationRanges {
  /** The smallest value of each dimension. */
  min: ArrayLike<number>;
  /** The largest value of each dimension. */
  max: ArrayLike<number>;
}

/**
 * Options of one embedding call (on an embedder or through {@link embed}).
 *
 * @example
 * const options: EmbedCallOptions = { promptName: "query", dimensions: 256, precision: "int8", ranges };
 */
export interface EmbedCallOptions<P extends Precision = Precision> {
  /**
   * How token vectors are pooled. Defaults to the model's sentence-transformers pooling (`1_Pooling/config.json`);
   * a model without one needs this option (an `InputError` names it otherwise).
   */
  pooling?: Pooling;
  /**
   * Scale each embedding to unit length (L2), so that a dot product is the cosine similarity.
   * @defaultValue true when the model's `modules.json` ends with a Normalize module, else false
   */
  normalize?: boolean;
  /**
   * Keep only the first `dimensions` values (Matryoshka truncation), then re-normalize when `normalize` is on.
   * At most the model's hidden size. @defaultValue all of them
   */
  dimensions?: number;
  /** A text put before every input, e.g. `"query: "` (e5) or BGE's retrieval instruction. Not with `promptName`. */
  prompt?: string;
  /**
   * The name of a prompt of the model's `config_sentence_transformers.json` (e.g. `"query"`, `"passage"`).
   * @defaultValue the config's `default_prompt_name`, if any
   */
  promptName?: string;
  /** The number format of the result; see {@link Precision}. @defaultValue "float32" */
  precision?: P;
  /**
   * Calibration ranges for `precision: "int8" | "uint8"`. Without them the ranges are the minimum and maximum of
   * each dimension over the texts of this call, as sentence-transformers does, so codes then depend on the batch
   * (and one text alone cannot be calibrated): pass ranges measured on your corpus for stable codes.
   */
  ranges?: QuantizationRanges;
  /** Rows run in one forward pass. Texts are sorted by length first, so each batch pads little. @defaultValue 32 */
  batchSize?: number;
  /**
   * What happens to a text longer than `maxLength` tokens: `"error"` refuses it (an `InputError` naming the
   * text), `"truncate"` embeds its first `maxLength` tokens, `"window"` embeds overlapping windows over the whole
   * text and returns the mean of the windows' pooled vectors (normalized afterwards when `normalize` is on).
   * @defaultValue "error"
   */
  truncation?: "error" | "truncate" | "window";
  /**
   * Tokens per text or window, special tokens included.
   * @defaultValue the model's window, capped by `sentence_bert_config.json`'s `max_seq_length`
   */
  maxLength?: number;
  /** With `truncation: "window"`, tokens each window repeats from the previous one. @defaultValue a quarter of `maxLength` */
  stride?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * The option names of {@link EmbedCallOptions}, which an embedder's `embed()` accepts.
 *
 * @example
 * checkTaskOptions(options, "embed", EMBED_CALL_OPTION_NAMES);
 */
export const EMBED_CALL_OPTION_NAMES = optionNames<EmbedCallOptions>()([
  "pooling",
  "normalize",
  "dimensions",
  "prompt",
  "promptName",
  "precision",
  "ranges",
  "batchSize",
  "truncation",
  "maxLength",
  "stride",
  "signal",
]);
