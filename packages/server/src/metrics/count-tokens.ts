import type { Tokenizer } from "@proj/core";

/**
 * The tokens a model reads for `texts` (each paired with `pairs[i]` when given), special tokens included, before
 * any truncation: what `usage` and the task metrics report.
 *
 * @example
 * await countTokens(embedder.model.tokenizer, ["a dog runs"]); // 5 for BERT ([CLS] a dog runs [SEP])
 * await countTokens(reranker.model.tokenizer, documents.map(() => query), documents);
 */
export async function countTokens(tokenizer: Tokenizer, texts: readonly string[], pairs?: readonly string[]): Promise<number> {
  const encodings = await tokenizer.encodeBatch(texts, pairs ? { pairs } : {});
  return encodings.reduce((sum, e) => sum + e.ids.length, 0);
}
