import type { LoadedModel } from "@proj/core";
import type { ResolvedPair } from "./resolve-pair.js";

/**
 * Encoder input ids of texts for one translation direction: the text with the pair's prefix and the tokenizer's
 * own special tokens, or, for multilingual models, the text framed by the source language token and `</s>`.
 *
 * @internal
 */
export async function sourceIds(model: LoadedModel, texts: readonly string[], pair: ResolvedPair): Promise<number[][]> {
  const token = pair.sourceToken;
  if (!token) return (await model.tokenizer.encodeBatch(texts.map((t) => pair.prefix + t))).map((e) => e.ids);
  const eos = model.tokenizer.specialIds.eos ?? model.config.eosTokenIds[0] ?? 2;
  const plain = await model.tokenizer.encodeBatch(
    texts.map((t) => pair.prefix + t),
    { addSpecialTokens: false },
  );
  return plain.map((e) => frameWithLanguage(e.ids, token.id, eos, token.placement));
}

/**
 * Frames text ids with a language token as multilingual tokenizers do: `[lang] ids </s>` (mBART-50, NLLB, M2M100)
 * or `ids </s> [lang]` (original mBART, NLLB legacy behaviour).
 *
 * @example
 * frameWithLanguage([10, 11], 250004, 2, "prefix"); // [250004, 10, 11, 2]
 */
export function frameWithLanguage(ids: readonly number[], languageId: number, eosId: number, placement: "prefix" | "suffix"): number[] {
  return placement === "prefix" ? [languageId, ...ids, eosId] : [...ids, eosId, languageId];
}
