import type { ResolvedDecodingOptions } from "../options.js";
import { badWords } from "./bad-words.js";
import type { LogitsProcessor } from "./logits-processor.js";
import { noRepeatNgram } from "./no-repeat-ngram.js";
import { presenceFrequencyPenalty } from "./presence-frequency.js";
import { repetitionPenalty } from "./repetition-penalty.js";
import { forcedToken, minNewTokens, suppressTokens } from "./token-rules.js";

/**
 * The processors that decoding options ask for, in transformers' order (penalties, bans, forced tokens).
 * Temperature, top-k, top-p and min-p are applied by the sampler, not here.
 *
 * @example
 * const processors = buildProcessors(options);
 */
export function buildProcessors(o: ResolvedDecodingOptions): LogitsProcessor[] {
  const list: LogitsProcessor[] = [];
  if (o.repetitionPenalty !== 1) list.push(repetitionPenalty(o.repetitionPenalty));
  if (o.presencePenalty !== 0 || o.frequencyPenalty !== 0) list.push(presenceFrequencyPenalty(o.presencePenalty, o.frequencyPenalty));
  if (o.noRepeatNgramSize > 0) list.push(noRepeatNgram());
  if (o.badWordsIds.length) list.push(badWords(o.badWordsIds));
  if (o.minNewTokens > 0 && o.eosTokenIds.length) list.push(minNewTokens(o.minNewTokens, o.eosTokenIds));
  if (o.suppressTokens.length) list.push(suppressTokens(o.suppressTokens, "always"));
  if (o.beginSuppressTokens.length) list.push(suppressTokens(o.beginSuppressTokens, "first"));
  if (o.forcedBosTokenId !== undefined) list.push(forcedToken(o.forcedBosTokenId, 0));
  if (o.forcedEosTokenId !== undefined) list.push(forcedToken(o.forcedEosTokenId, o.maxNewTokens - 1));
  return list;
}
