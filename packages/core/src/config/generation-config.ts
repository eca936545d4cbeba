import { bool, idList, type JsonObject, num, readJsonObject } from "./read-json.js";

/**
 * A model's `generation_config.json`, typed and in camelCase. Every field is optional:
 * a missing field means "use the engine's default", and call options override all of them.
 */
export interface GenerationConfig {
  /** Longest total length (prompt + generated), as `max_length`. */
  maxLength?: number;
  /** Most tokens to generate, as `max_new_tokens`. */
  maxNewTokens?: number;
  /** Shortest total length, as `min_length`. */
  minLength?: number;
  /** Fewest tokens to generate before an end-of-sequence token is allowed. */
  minNewTokens?: number;
  /** Sample instead of taking the most likely token. */
  doSample?: boolean;
  /** Softmax temperature for sampling. */
  temperature?: number;
  /** Keep only the `topK` most likely tokens when sampling. */
  topK?: number;
  /** Keep the smallest set of tokens whose probability adds up to `topP` (nucleus sampling). */
  topP?: number;
  /** Drop tokens less likely than `minP` times the most likely one. */
  minP?: number;
  /** CTRL repetition penalty (1 = none). */
  repetitionPenalty?: number;
  /** Forbid repeating any n-gram of this size. */
  noRepeatNgramSize?: number;
  /** Beams for beam search (1 = no beam search). */
  numBeams?: number;
  /** Exponent on the length when ranking finished beams. */
  lengthPenalty?: number;
  /** Stop beam search once `numBeams` hypotheses are finished (`true`), or by heuristic (`false`), or never early (`"never"`). */
  earlyStopping?: boolean | "never";
  /** How many sequences to return per input. */
  numReturnSequences?: number;
  /** Beginning-of-sequence token id. */
  bosTokenId?: number;
  /** End-of-sequence token ids. */
  eosTokenIds?: number[];
  /** Padding token id. */
  padTokenId?: number;
  /** First decoder token for encoder-decoder models. */
  decoderStartTokenId?: number;
  /** Token forced as the first generated token. */
  forcedBosTokenId?: number;
  /** Token forced when the maximum length is reached. */
  forcedEosTokenId?: number;
  /** Token sequences that must never be generated. */
  badWordsIds?: number[][];
  /** Tokens that must never be generated. */
  suppressTokens?: number[];
  /** Tokens that must not be generated as the first token. */
  beginSuppressTokens?: number[];
}

/**
 * Reads and types a `generation_config.json`.
 *
 * @example
 * const gen = await readGenerationConfig("/models/bart-cnn/generation_config.json");
 * gen.numBeams; // 4
 */
export async function readGenerationConfig(path: string): Promise<GenerationConfig> {
  return parseGenerationConfig(await readJsonObject(path));
}

/**
 * Types a generation config object (from `generation_config.json`, or the generation fields of an old `config.json`).
 *
 * @example
 * parseGenerationConfig({ num_beams: 4, max_length: 142 }); // { numBeams: 4, maxLength: 142 }
 */
export function parseGenerationConfig(raw: JsonObject): GenerationConfig {
  const out: GenerationConfig = {};
  const set = <K extends keyof GenerationConfig>(key: K, value: GenerationConfig[K] | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  set("maxLength", num(raw, "max_length"));
  set("maxNewTokens", num(raw, "max_new_tokens"));
  set("minLength", num(raw, "min_length"));
  set("minNewTokens", num(raw, "min_new_tokens"));
  set("doSample", bool(raw, "do_sample"));
  set("temperature", num(raw, "temperature"));
  set("topK", num(raw, "top_k"));
  set("topP", num(raw, "top_p"));
  set("minP", num(raw, "min_p"));
  set("repetitionPenalty", num(raw, "repetition_penalty"));
  set("noRepeatNgramSize", num(raw, "no_repeat_ngram_size"));
  set("numBeams", num(raw, "num_beams"));
  set("lengthPenalty", num(raw, "length_penalty"));
  const early = raw.early_stopping;
  if (typeof early === "boolean" || early === "never") out.earlyStopping = early;
  set("numReturnSequences", num(raw, "num_return_sequences"));
  set("bosTokenId", idList(raw, "bos_token_id")?.[0]);
  set("eosTokenIds", idList(raw, "eos_token_id"));
  set("padTokenId", idList(raw, "pad_token_id")?.[0]);
  set("decoderStartTokenId", num(raw, "decoder_start_token_id"));
  set("forcedBosTokenId", num(raw, "forced_bos_token_id"));
  set("forcedEosTokenId", idList(raw, "forced_eos_token_id")?.[0]);
  if (Array.isArray(raw.bad_words_ids)) {
    set(
      "badWordsIds",
      raw.bad_words_ids.filter((s): s is number[] => Array.isArray(s) && s.every((t) => typeof t === "number")),
    );
  }
  set("suppressTokens", idList(raw, "suppress_tokens"));
  set("beginSuppressTokens", idList(raw, "begin_suppress_tokens"));
  return out;
}
