import type { GenerationConfig } from "../config/generation-config.js";
import { InputError } from "../errors.js";
import { optionNames } from "../options/check-options.js";
import { describeValue } from "../options/describe-value.js";
import type { ActiveResponseFormat } from "./constraint/compiled-grammar.js";
import { checkResponseFormat, type ResponseFormat } from "./constraint/response-format.js";

/** Decoding options: how tokens are chosen and when generation stops. camelCase; override `generation_config.json`. */
export interface DecodingOptions {
  /** Most tokens to generate. @defaultValue generation_config's `max_new_tokens`, else `max_length` minus the prompt, else 20 */
  maxNewTokens?: number;
  /** Fewest tokens to generate before an end-of-sequence token may be chosen. @defaultValue 0 */
  minNewTokens?: number;
  /**
   * Sample from the distribution instead of taking the most likely token. When omitted, the rule is OpenAI's (the one
   * the wire format of `@proj/server` and the remote generator carries, so it means the same in process and
   * remotely): a `temperature` above 0 samples and `temperature: 0` is greedy; otherwise a `topP`, a `topK` above 0 or
   * a `minP` above 0 samples; otherwise the model's `generation_config.json` decides (`do_sample`, else greedy).
   * Beam search (`numBeams > 1`) never infers sampling from these options.
   * @defaultValue inferred as above
   */
  doSample?: boolean;
  /** Softmax temperature when sampling (higher is more random); giving a value above 0 turns sampling on, 0 is greedy (see `doSample`). @defaultValue 1 */
  temperature?: number;
  /** Sample only among the `topK` most likely tokens (0 = no limit); a value above 0 turns sampling on (see `doSample`). */
  topK?: number;
  /** Nucleus sampling: sample among the smallest set of tokens whose probability adds up to `topP`, in (0, 1]; turns sampling on (see `doSample`). */
  topP?: number;
  /** Drop tokens whose probability is below `minP` times the top token's, in [0, 1]; a value above 0 turns sampling on (see `doSample`). */
  minP?: number;
  /** CTRL repetition penalty over prompt and generated tokens (1 = none, > 1 discourages repeats). */
  repetitionPenalty?: number;
  /** OpenAI presence penalty: subtracted once from every token already generated, in [-2, 2]. */
  presencePenalty?: number;
  /** OpenAI frequency penalty: subtracted per occurrence of a generated token, in [-2, 2]. */
  frequencyPenalty?: number;
  /** Forbid repeating any n-gram of this size (0 = off). */
  noRepeatNgramSize?: number;
  /** Token id sequences that must never be generated. */
  badWordsIds?: number[][];
  /** Token ids that must never be generated. */
  suppressTokens?: number[];
  /** Token ids that must not be the first generated token. */
  beginSuppressTokens?: number[];
  /** Force this token as the first generated token. */
  forcedBosTokenId?: number;
  /** Force this token when the length limit is reached. */
  forcedEosTokenId?: number;
  /** End-of-sequence token ids; generation of a sequence stops at any of them. */
  eosTokenId?: number | number[];
  /** Beams for beam search (1 = greedy or sampling). @defaultValue generation_config's `num_beams`, else 1 */
  numBeams?: number;
  /** Exponent of the length when ranking finished beams (> 0 favours longer ones). @defaultValue 1 */
  lengthPenalty?: number;
  /** Beam search stops when `numBeams` hypotheses are done (`true`), by heuristic (`false`), or never early (`"never"`). @defaultValue false */
  earlyStopping?: boolean | "never";
  /** Sequences returned per prompt (≤ `numBeams` with beam search). @defaultValue 1 */
  numReturnSequences?: number;
  /** Seed of the sampling RNG: the same seed gives the same text. */
  seed?: number;
  /** Stop when the generated text contains one of these strings; the string is cut from the output. */
  stop?: string | string[];
  /** Stop after this many milliseconds (finish reason `"length"`). */
  maxTime?: number;
  /** Cancels generation; the result ends with finish reason `"abort"`. */
  signal?: AbortSignal;
  /**
   * Constrain the output to a JSON schema, any JSON object, a regular expression or an EBNF grammar: each step only
   * the tokens the format allows can be chosen (greedy, sampling and beams alike), and the end-of-sequence token only
   * where the text is complete. The text then always matches, unless `maxNewTokens` cuts it (finish reason `"length"`).
   * @defaultValue `{ type: "text" }` (no constraint)
   */
  responseFormat?: ResponseFormat;
  /**
   * Jump-forward decoding: where the response format's grammar forces a text (an object's next key, punctuation), the
   * tokens of that text are appended and fed in one forward pass instead of one model call each. The output still
   * matches the format; the forced text is split into tokens as the tokenizer splits it alone, which may differ from
   * how the model would have spelled it, so later tokens can differ from a run without it. Greedy and sampled rows of
   * decoder-only models; ignored with beam search and with `logprobs` (forced tokens have no model probability).
   * @defaultValue false
   */
  jumpForward?: boolean;
  /**
   * Return the log-probability of each generated token (`result.logprobs`, and on each streamed chunk): the
   * log-softmax of the model's raw logits at that step, before logits processors, penalties, temperature and a
   * response format's mask (vLLM's default, "raw logprobs"), so it says how likely the model found the token, not how
   * it was sampled. Not with beam search. @defaultValue false
   */
  logprobs?: boolean;
  /** With each token, this many most likely alternatives and their log-probabilities (0 to 20; implies `logprobs`). @defaultValue 0 */
  topLogprobs?: number;
}

/** The option names of {@link DecodingOptions}, which every generative task's option list includes. */
export const DECODING_OPTION_NAMES = optionNames<DecodingOptions>()([
  "maxNewTokens",
  "minNewTokens",
  "doSample",
  "temperature",
  "topK",
  "topP",
  "minP",
  "repetitionPenalty",
  "presencePenalty",
  "frequencyPenalty",
  "noRepeatNgramSize",
  "badWordsIds",
  "suppressTokens",
  "beginSuppressTokens",
  "forcedBosTokenId",
  "forcedEosTokenId",
  "eosTokenId",
  "numBeams",
  "lengthPenalty",
  "earlyStopping",
  "numReturnSequences",
  "seed",
  "stop",
  "maxTime",
  "signal",
  "responseFormat",
  "jumpForward",
  "logprobs",
  "topLogprobs",
]);

/** {@link DecodingOptions} merged with the model's generation config, validated, with defaults filled in. */
export interface ResolvedDecodingOptions {
  maxNewTokens: number;
  minNewTokens: number;
  doSample: boolean;
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  repetitionPenalty: number;
  presencePenalty: number;
  frequencyPenalty: number;
  noRepeatNgramSize: number;
  badWordsIds: number[][];
  suppressTokens: number[];
  beginSuppressTokens: number[];
  forcedBosTokenId: number | undefined;
  forcedEosTokenId: number | undefined;
  eosTokenIds: number[];
  numBeams: number;
  lengthPenalty: number;
  earlyStopping: boolean | "never";
  numReturnSequences: number;
  seed: number | undefined;
  stop: string[];
  maxTime: number | undefined;
  signal: AbortSignal | undefined;
  /** The output's constraint, `undefined` for plain text. */
  responseFormat: ActiveResponseFormat | undefined;
  /** Append grammar-forced text without a model call per token. */
  jumpForward: boolean;
  /** Alternatives returned with each token's log-probability; `undefined` when no log-probabilities are asked for. */
  topLogprobs: number | undefined;
}

/** What the model allows, used to check options. */
export interface ModelLimits {
  /** Vocabulary size (token ids must be below it). */
  vocabSize: number;
  /** End-of-sequence ids of the model, when the options give none. */
  eosTokenIds: number[];
}

/**
 * Merges call options over `generation_config.json` and checks every value, throwing {@link InputError}
 * with the option name and the allowed range.
 *
 * @example
 * const options = resolveDecodingOptions(model.generationConfig, { maxNewTokens: 32, topP: 0.9, doSample: true }, limits, 12);
 */
export function resolveDecodingOptions(
  config: GenerationConfig,
  options: DecodingOptions,
  limits: ModelLimits,
  promptLength: number,
): ResolvedDecodingOptions {
  if (options === null || typeof options !== "object")
    throw new InputError(`Expected an options object, got ${options === null ? "null" : typeof options}`);
  const fromMaxLength = config.maxLength !== undefined ? Math.max(config.maxLength - promptLength, 1) : undefined;
  const eos = options.eosTokenId ?? config.eosTokenIds ?? limits.eosTokenIds;
  if (typeof eos !== "number" && !Array.isArray(eos))
    throw new InputError(`eosTokenId must be a token id or an array of them, got ${typeof eos}`);
  if (options.stop !== undefined && typeof options.stop !== "string" && !Array.isArray(options.stop)) {
    throw new InputError(`stop must be a string or an array of strings, got ${options.stop === null ? "null" : typeof options.stop}`);
  }
  const resolved: ResolvedDecodingOptions = {
    maxNewTokens: options.maxNewTokens ?? config.maxNewTokens ?? fromMaxLength ?? 20,
    minNewTokens: options.minNewTokens ?? configMinNewTokens(config, promptLength),
    doSample: chooseSampling(options, config),
    temperature: options.temperature ?? config.temperature ?? 1,
    topK: options.topK ?? config.topK ?? 0,
    topP: options.topP ?? config.topP ?? 1,
    minP: options.minP ?? config.minP ?? 0,
    repetitionPenalty: options.repetitionPenalty ?? config.repetitionPenalty ?? 1,
    presencePenalty: options.presencePenalty ?? 0,
    frequencyPenalty: options.frequencyPenalty ?? 0,
    noRepeatNgramSize: options.noRepeatNgramSize ?? config.noRepeatNgramSize ?? 0,
    badWordsIds: options.badWordsIds ?? config.badWordsIds ?? [],
    suppressTokens: options.suppressTokens ?? config.suppressTokens ?? [],
    beginSuppressTokens: options.beginSuppressTokens ?? config.beginSuppressTokens ?? [],
    forcedBosTokenId: options.forcedBosTokenId ?? config.forcedBosTokenId,
    forcedEosTokenId: options.forcedEosTokenId ?? config.forcedEosTokenId,
    eosTokenIds: typeof eos === "number" ? [eos] : [...eos],
    numBeams: options.numBeams ?? config.numBeams ?? 1,
    lengthPenalty: options.lengthPenalty ?? config.lengthPenalty ?? 1,
    earlyStopping: options.earlyStopping ?? config.earlyStopping ?? false,
    numReturnSequences: options.numReturnSequences ?? config.numReturnSequences ?? 1,
    seed: options.seed,
    stop: options.stop === undefined ? [] : typeof options.stop === "string" ? [options.stop] : [...options.stop],
    maxTime: options.maxTime,
    signal: options.signal,
    responseFormat: checkResponseFormat(options.responseFormat),
    jumpForward: options.jumpForward ?? false,
    topLogprobs: logprobCount(options),
  };
  // A minimum that comes from the model's config never exceeds the caller's maximum (transformers does not fail here);
  // a minimum the caller passed is checked as given.
  if (options.minNewTokens === undefined) {
    integer("maxNewTokens", resolved.maxNewTokens, 1, 1_000_000);
    resolved.minNewTokens = Math.min(resolved.minNewTokens, resolved.maxNewTokens);
  }
  validate(resolved, limits);
  return resolved;
}

function configMinNewTokens(config: GenerationConfig, promptLength: number): number {
  if (config.minNewTokens !== undefined) return config.minNewTokens;
  return config.minLength !== undefined ? Math.max(config.minLength - promptLength, 0) : 0;
}

function validate(o: ResolvedDecodingOptions, limits: ModelLimits): void {
  integer("maxNewTokens", o.maxNewTokens, 1, 1_000_000);
  integer("minNewTokens", o.minNewTokens, 0, o.maxNewTokens);
  finite("temperature", o.temperature);
  if (o.temperature < 0)
    throw new InputError(`temperature must be >= 0, got ${o.temperature}`, { hint: "use 0 or doSample: false for greedy decoding" });
  integer("topK", o.topK, 0, Number.MAX_SAFE_INTEGER);
  finite("topP", o.topP);
  if (!(o.topP > 0 && o.topP <= 1)) throw new InputError(`topP must be in (0, 1], got ${o.topP}`);
  finite("minP", o.minP);
  if (o.minP < 0 || o.minP > 1) throw new InputError(`minP must be in [0, 1], got ${o.minP}`);
  finite("repetitionPenalty", o.repetitionPenalty);
  if (o.repetitionPenalty <= 0)
    throw new InputError(`repetitionPenalty must be > 0, got ${o.repetitionPenalty}`, { hint: "1 means no penalty" });
  for (const [name, value] of [
    ["presencePenalty", o.presencePenalty],
    ["frequencyPenalty", o.frequencyPenalty],
  ] as const) {
    finite(name, value);
    if (value < -2 || value > 2) throw new InputError(`${name} must be in [-2, 2] (OpenAI's range), got ${value}`);
  }
  integer("noRepeatNgramSize", o.noRepeatNgramSize, 0, 1_000);
  integer("numBeams", o.numBeams, 1, 256);
  finite("lengthPenalty", o.lengthPenalty);
  integer("numReturnSequences", o.numReturnSequences, 1, 256);
  if (o.numBeams > 1 && o.numReturnSequences > o.numBeams) {
    throw new InputError(`numReturnSequences (${o.numReturnSequences}) cannot exceed numBeams (${o.numBeams}) in beam search`);
  }
  if (o.numBeams > 1 && o.doSample) {
    throw new InputError("Beam search with sampling is not supported", {
      hint: "use numBeams: 1 with doSample: true, or doSample: false with beams",
    });
  }
  if (o.topLogprobs !== undefined && o.numBeams > 1) {
    throw new InputError("logprobs are not returned with beam search", { hint: "use numBeams: 1, or leave logprobs out" });
  }
  if (typeof o.jumpForward !== "boolean") throw new InputError(`jumpForward must be true or false, got ${describeValue(o.jumpForward)}`);
  if (o.seed !== undefined) integer("seed", o.seed, 0, Number.MAX_SAFE_INTEGER);
  if (o.maxTime !== undefined && !(o.maxTime > 0))
    throw new InputError(`maxTime must be a positive number of milliseconds, got ${o.maxTime}`);
  if (o.stop.some((s) => typeof s !== "string" || s === "")) throw new InputError("stop must hold non-empty strings");
  const ids = (name: string, list: readonly number[]): void => {
    if (!Array.isArray(list)) throw new InputError(`${name} must be an array of token ids, got ${typeof list}`);
    for (const id of list) {
      if (!Number.isInteger(id) || id < 0 || id >= limits.vocabSize) {
        throw new InputError(`${name} holds token id ${id}, outside the vocabulary [0, ${limits.vocabSize})`);
      }
    }
  };
  ids("eosTokenId", o.eosTokenIds);
  ids("suppressTokens", o.suppressTokens);
  ids("beginSuppressTokens", o.beginSuppressTokens);
  if (!Array.isArray(o.badWordsIds)) throw new InputError(`badWordsIds must be an array of token id arrays, got ${typeof o.badWordsIds}`);
  o.badWordsIds.forEach((seq, i) => {
    if (!Array.isArray(seq) || seq.length === 0) throw new InputError(`badWordsIds[${i}] must be a non-empty array of token ids`);
    ids(`badWordsIds[${i}]`, seq);
  });
  if (o.forcedBosTokenId !== undefined) ids("forcedBosTokenId", [o.forcedBosTokenId]);
  if (o.forcedEosTokenId !== undefined) ids("forcedEosTokenId", [o.forcedEosTokenId]);
}

function finite(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new InputError(`${name} must be a finite number, got ${String(value)}`);
}

function integer(name: string, value: number, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/** How many alternatives per token the options ask for: `undefined` for no log-probabilities. */
function logprobCount(options: DecodingOptions): number | undefined {
  const { logprobs, topLogprobs } = options;
  if (logprobs !== undefined && typeof logprobs !== "boolean") throw new InputError(`logprobs must be a boolean, got ${typeof logprobs}`);
  if (topLogprobs !== undefined) {
    integer("topLogprobs", topLogprobs, 0, 20);
    if (logprobs === false && topLogprobs > 0)
      throw new InputError("topLogprobs needs logprobs; it was set to false", { hint: "drop logprobs: false" });
    return topLogprobs;
  }
  return logprobs ? 0 : undefined;
}

/**
 * Whether a call samples: `doSample` when given; else OpenAI's rule (a positive `temperature` samples, `temperature: 0`
 * is greedy; `topP`, `topK > 0` or `minP > 0` sample); else the generation config's `do_sample`, else greedy. Beam
 * search does not infer sampling. The same rule as `@proj/server`'s mapping of OpenAI requests, so local and remote
 * generators read the same options the same way.
 *
 * @example
 * chooseSampling({ temperature: 1.3 }, {}); // true
 * chooseSampling({ temperature: 0, topP: 0.9 }, { doSample: true }); // false
 */
export function chooseSampling(options: DecodingOptions, config: GenerationConfig): boolean {
  if (options.doSample !== undefined) return options.doSample;
  const numBeams = options.numBeams ?? config.numBeams ?? 1;
  if (numBeams <= 1) {
    if (options.temperature !== undefined) return options.temperature > 0;
    if (options.topP !== undefined || (options.topK ?? 0) > 0 || (options.minP ?? 0) > 0) return true;
  }
  return config.doSample ?? false;
}
