import { optionNames } from "@proj/core/internal";

/**
 * One reranked document: its index in the input, its relevance score, and the document itself when
 * `returnDocuments` is on.
 *
 * @example
 * const [best]: RerankResult[] = await rerank("how fast do dogs run?", docs);
 * docs[best.index]; // the most relevant document
 */
export interface RerankResult {
  /** Index of the document in the list given. */
  index: number;
  /** Relevance: a probability in (0, 1) with the sigmoid activation, the raw logit without. */
  score: number;
  /** The document's text, with `returnDocuments: true`. */
  document?: string;
}

/**
 * Options of one rerank call (on a reranker or through {@link rerank}).
 *
 * @example
 * const options: RerankCallOptions = { topK: 3, returnDocuments: true };
 */
export interface RerankCallOptions {
  /** How many documents to return, best first; `null` for all. @defaultValue null */
  topK?: number | null;
  /** Include each document's text in its result. @defaultValue false */
  returnDocuments?: boolean;
  /**
   * How the model's one logit becomes a score: `"sigmoid"` or `"none"` (the raw logit). Defaults as
   * sentence-transformers' CrossEncoder does: the activation config.json names (`sentence_transformers.activation_fn`
   * or `sbert_ce_default_activation_function`: Sigmoid or Identity), else sigmoid for a one-label head.
   */
  activation?: "sigmoid" | "none";
  /** Query-document pairs run in one forward pass, sorted by length first. @defaultValue 32 */
  batchSize?: number;
  /**
   * Tokens per pair, special tokens included. Longer pairs lose the end of the document (`only_second`
   * truncation), never the query. @defaultValue the model's window
   */
  maxLength?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/**
 * The option names of {@link RerankCallOptions}.
 *
 * @example
 * checkTaskOptions(options, "rerank", RERANK_CALL_OPTION_NAMES);
 */
export const RERANK_CALL_OPTION_NAMES = optionNames<RerankCallOptions>()([
  "topK",
  "returnDocuments",
  "activation",
  "batchSize",
  "maxLength",
  "signal",
]);
