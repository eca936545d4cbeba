import type { GeneratorCallOptions } from "@proj/decoder";
import { badRequest } from "../errors/http-error.js";
import type { BodyReader } from "./body-reader.js";
import { readResponseFormat } from "./response-format.js";

/** The request fields shared by `/v1/completions` and `/v1/chat/completions`, mapped to SDK options. */
export interface SamplingParams {
  /** Decoding options for the generator (no `signal`, no `onToken`: the endpoint adds them). */
  options: GeneratorCallOptions;
  /** Choices per prompt (`n`). */
  n: number;
  /** Answer with server-sent events. */
  stream: boolean;
  /** With `stream`, end with a chunk that carries `usage` (`stream_options.include_usage`). */
  includeUsage: boolean;
  /** Add `token_ids` to each choice (and chunk), as vLLM's `return_token_ids` does. */
  returnTokenIds: boolean;
}

/** Most `n` a request may ask for (the batcher's `maxSequences` may allow fewer). */
export const MAX_N = 16;

/**
 * Reads the OpenAI sampling fields (`max_tokens`, `temperature`, `top_p`, `presence_penalty`, `frequency_penalty`,
 * `stop`, `seed`, `n`, `stream`, `stream_options`) and the common extensions TGI and vLLM accept (`top_k`, `min_p`,
 * `repetition_penalty`, `min_tokens`, `ignore_eos`, `add_special_tokens`, `return_token_ids`, and llama.cpp's
 * `cache_prompt`: `false` skips the prefix cache for the request). `temperature: 0` is greedy; a positive temperature, or
 * `top_p`/`top_k`/`min_p` alone, samples; none of them leaves the choice to the model's `generation_config.json`.
 * `response_format` (and vLLM's `guided_json`, `guided_regex`, `guided_grammar`, `guided_choice`) constrains the output
 * (see {@link readResponseFormat}). Refuses with a 400 what it cannot honour (`logprobs`, `tools`, `logit_bias`).
 *
 * @example
 * const params = readSamplingParams(new BodyReader(request.body), 16, ["max_tokens"]);
 * await generator.generate(prompt, params.options);
 */
export function readSamplingParams(
  body: BodyReader,
  defaultMaxTokens: number | undefined,
  maxTokenFields: readonly string[],
): SamplingParams {
  const options: GeneratorCallOptions = {};
  let maxTokens: number | undefined;
  for (const field of maxTokenFields) maxTokens ??= body.number(field, { min: 1, integer: true });
  maxTokens ??= defaultMaxTokens;
  if (maxTokens !== undefined) options.maxNewTokens = maxTokens;

  const temperature = body.number("temperature", { min: 0, max: 2 });
  const topP = body.number("top_p", { above: 0, max: 1 });
  const topK = body.number("top_k", { min: -1, integer: true });
  const minP = body.number("min_p", { min: 0, max: 1 });
  if (temperature !== undefined) {
    options.doSample = temperature > 0;
    if (temperature > 0) options.temperature = temperature;
  } else if (topP !== undefined || (topK !== undefined && topK > 0) || (minP !== undefined && minP > 0)) {
    options.doSample = true;
  }
  if (topP !== undefined) options.topP = topP;
  if (topK !== undefined) options.topK = Math.max(topK, 0);
  if (minP !== undefined) options.minP = minP;

  const presence = body.number("presence_penalty", { min: -2, max: 2 });
  if (presence !== undefined) options.presencePenalty = presence;
  const frequency = body.number("frequency_penalty", { min: -2, max: 2 });
  if (frequency !== undefined) options.frequencyPenalty = frequency;
  const repetition = body.number("repetition_penalty", { above: 0 });
  if (repetition !== undefined) options.repetitionPenalty = repetition;
  const stop = body.strings("stop", 16);
  if (stop !== undefined && stop.length > 0) {
    if (stop.some((s) => s.length === 0)) throw badRequest('"stop" strings must not be empty', "stop");
    options.stop = stop;
  }
  const seed = body.number("seed", { integer: true, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
  if (seed !== undefined) options.seed = seed;
  if (body.boolean("ignore_eos")) options.eosTokenId = [];
  const minTokens = body.number("min_tokens", { min: 0, integer: true });
  if (minTokens !== undefined) options.minNewTokens = minTokens;
  const addSpecial = body.boolean("add_special_tokens");
  if (addSpecial !== undefined) options.addSpecialTokens = addSpecial;
  const cachePrompt = body.boolean("cache_prompt");
  if (cachePrompt !== undefined) options.cachePrompt = cachePrompt;
  const n = body.number("n", { min: 1, max: MAX_N, integer: true }) ?? 1;
  if (n > 1) options.numReturnSequences = n;

  body.refuse("functions", (v) => !Array.isArray(v) || v.length > 0, "this server does not call functions");
  body.refuse(
    "logit_bias",
    (v) => typeof v !== "object" || Object.keys(v as object).length > 0,
    "use a logits processor in the SDK instead",
  );
  body.refuse("best_of", (v) => v !== 1, "use n");
  const responseFormat = readResponseFormat(body);
  if (responseFormat) options.responseFormat = responseFormat;

  const stream = body.boolean("stream") ?? false;
  const includeUsage = body.object("stream_options")?.boolean("include_usage") ?? false;
  const returnTokenIds = body.boolean("return_token_ids") ?? false;
  return { options, n, stream, includeUsage, returnTokenIds };
}
