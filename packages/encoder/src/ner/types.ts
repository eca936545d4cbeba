import { optionNames } from "@proj/core/internal";

/**
 * How token predictions become entities, as in the Hugging Face token-classification pipeline:
 * - `"none"`: one result per token (no grouping), with its `index`;
 * - `"simple"`: adjacent tokens with the same tag are merged (`B-PER I-PER` -> one `PER`); a `B-` starts a new entity;
 * - `"first"`, `"average"`, `"max"`: first make every word agree on one tag (the tag of its first token, of the
 *   average of its tokens' scores, or of its most confident token), then merge as `"simple"` does.
 *
 * @example
 * await ner("Ada Lovelace lived in London", { aggregation: "first" });
 */
export type AggregationStrategy = "none" | "simple" | "first" | "average" | "max";

/**
 * How each token (or, with `"first"`/`"average"`/`"max"`, each word) gets its label:
 * - `"argmax"`: its most probable label, on its own (the Hugging Face pipeline; a sequence can read `O I-PER`);
 * - `"constrained"`: the most probable label sequence of the whole row that obeys the tag scheme (Viterbi over the
 *   log-probabilities): in BIO, `I-X` only after `B-X` or `I-X`, so a type change or an entity after `O` starts
 *   with `B-`. No transition is learned or weighted (no CRF): illegal transitions are only ruled out. Each window
 *   of a long text is decoded on its own, so where windows are stitched two tokens may still meet in an illegal pair.
 *   It can hurt with `aggregation: "max"` on models that label a word's later pieces `I-X` (a word whose most
 *   confident piece is an `I-` piece cannot start an entity): the embedded NER model's card has the figures.
 *
 * @example
 * await ner("Ada Lovelace lived in London", { aggregation: "first", decoding: "constrained" });
 */
export type NerDecoding = "argmax" | "constrained";

/**
 * The tag scheme that `decoding: "constrained"` enforces; `"auto"` reads it from the labels: `"BIOES"` when some
 * label starts with `E-`, `S-`, `L-` or `U-` (BILOU is read as BIOES), `"BIO"` otherwise.
 * - `"BIO"` (IOB2): an entity starts with `B-X`; `I-X` continues `B-X` or `I-X` (a type with no `B-` label may
 *   start with `I-`).
 * - `"IOB1"` (CoNLL-2003 files): `I-X` starts or continues an entity; `B-X` only starts one right after an entity
 *   of type X.
 * - `"BIOES"`: `B-X` then `I-X`... then `E-X`, or `S-X` alone; an entity is closed before anything else starts.
 * The labels' tag is what follows their first `-` (`B-PER` is PER); labels without a prefix (`O`) are free.
 *
 * @example
 * await ner(text, { decoding: "constrained", tagScheme: "IOB1" });
 */
export type TagScheme = "auto" | "BIO" | "IOB1" | "BIOES";

/**
 * A named entity (or, with `aggregation: "none"`, one classified token).
 *
 * @example
 * // { entity: "PER", score: 0.998, word: "ada lovelace", start: 0, end: 12 }
 * const [first]: Entity[] = await ner("Ada Lovelace lived in London", { aggregation: "simple" });
 * "Ada Lovelace lived in London".slice(first.start, first.end); // "Ada Lovelace"
 */
export interface Entity {
  /** The tag: the model's label (`"B-PER"`) with `"none"`, the entity type without `B-`/`I-` (`"PER"`) otherwise. */
  entity: string;
  /** Probability of the tag (averaged over the merged tokens or words). */
  score: number;
  /** The entity as the tokenizer spells it (a token with `"none"`, decoded tokens otherwise; uncased models lowercase it). */
  word: string;
  /** Start of the entity in the original text, a JavaScript string index (`text.slice(start, end)`). */
  start: number;
  /** End (exclusive) of the entity in the original text. */
  end: number;
  /** With `"none"` only: the token's position in the encoded sequence (in its window, for a long text). */
  index?: number;
}

/**
 * Options of one entity-recognition call (on a handle or through {@link ner}).
 *
 * @example
 * const options: NerCallOptions = { aggregation: "simple", ignoreLabels: ["O", "MISC"] };
 */
export interface NerCallOptions {
  /** How tokens are grouped into entities. @defaultValue "none" (as the Hugging Face pipeline) */
  aggregation?: AggregationStrategy;
  /**
   * Tags to leave out of the result, compared with the tag as returned (`"B-MISC"` with `"none"`, `"MISC"`
   * otherwise); `[]` keeps every token or group. @defaultValue ["O"]
   */
  ignoreLabels?: readonly string[];
  /**
   * How labels are chosen: each on its own (`"argmax"`, as the Hugging Face pipeline) or as the most probable
   * sequence the tag scheme allows (`"constrained"`), over the tokens (`"none"`, `"simple"`) or the words (the
   * word strategies) of each row. @defaultValue "argmax"
   */
  decoding?: NerDecoding;
  /** The tag scheme `decoding: "constrained"` enforces (refused with `"argmax"`). @defaultValue "auto" */
  tagScheme?: TagScheme;
  /** Rows (texts or windows) run in one forward pass. @defaultValue 32 */
  batchSize?: number;
  /**
   * Tokens per window, special tokens included. A text longer than this is split into overlapping windows and the
   * entities of all windows are stitched (each entity once, the longer or more confident of overlapping ones).
   * @defaultValue the model's window (512 for BERT)
   */
  maxLength?: number;
  /** Tokens each window repeats from the previous one. @defaultValue a quarter of `maxLength` */
  stride?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * The option names of {@link NerCallOptions}, which a token classifier's `ner()` accepts.
 *
 * @example
 * checkTaskOptions(options, "ner", NER_CALL_OPTION_NAMES);
 */
export const NER_CALL_OPTION_NAMES = optionNames<NerCallOptions>()([
  "aggregation",
  "ignoreLabels",
  "decoding",
  "tagScheme",
  "batchSize",
  "maxLength",
  "stride",
  "signal",
]);
