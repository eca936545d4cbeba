import { InputError } from "@proj/core";
import type { ChatOptions } from "../chat/messages.js";
import type { GeneratorCallOptions } from "../generate/types.js";

/** The request fields of an OpenAI-compatible completion, as the remote source sends them. */
export type WireParams = Record<string, unknown>;

/** Options that change the output and have no OpenAI (or common extension) field: refused, never ignored. */
const UNSENDABLE: ReadonlyArray<[keyof GeneratorCallOptions, (value: unknown) => boolean, string]> = [
  ["numBeams", (v) => v !== 1, "beam search"],
  ["noRepeatNgramSize", (v) => v !== 0, "no-repeat n-grams"],
  ["badWordsIds", (v) => Array.isArray(v) && v.length > 0, "bad words"],
  ["suppressTokens", (v) => Array.isArray(v) && v.length > 0, "suppressed tokens"],
  ["beginSuppressTokens", (v) => Array.isArray(v) && v.length > 0, "suppressed first tokens"],
  ["forcedBosTokenId", () => true, "forced tokens"],
  ["forcedEosTokenId", () => true, "forced tokens"],
  ["lengthPenalty", (v) => v !== 1, "beam search"],
  ["earlyStopping", () => true, "beam search"],
  ["truncatePrompt", (v) => v !== "error", "prompt truncation"],
  ["jumpForward", (v) => v === true, "jump-forward decoding"],
];

/**
 * Maps SDK call options to OpenAI wire fields: `maxNewTokens` -> `max_tokens`, `topP` -> `top_p`,
 * `presencePenalty`, `frequencyPenalty`, `stop`, `seed`, `numReturnSequences` -> `n`; `doSample: false` sends
 * `temperature: 0`; the extensions TGI and vLLM share (`top_k`, `min_p`, `repetition_penalty`, `min_tokens`,
 * `ignore_eos` for `eosTokenId: []`, `add_special_tokens`) and llama.cpp's `cache_prompt` only when set; `responseFormat` as `response_format` or
 * vLLM's `guided_regex`/`guided_grammar` (see {@link responseFormatFields}). Options with no wire field (beam search,
 * forced or suppressed tokens, a client-side chat template ...) are an `InputError`, never silently dropped.
 *
 * @example
 * wireParams({ maxNewTokens: 20, doSample: true, topP: 0.9, seed: 1 });
 * // { max_tokens: 20, temperature: 1, top_p: 0.9, seed: 1 }
 */
export function wireParams(options: GeneratorCallOptions & ChatOptions): WireParams {
  for (const [name, refused, what] of UNSENDABLE) {
    const value = options[name];
    if (value !== undefined && refused(value)) {
      throw new InputError(`${what} (${String(name)}) cannot be sent to an OpenAI-compatible server`, {
        hint: "run it with a local generator, or leave the option out",
      });
    }
  }
  if (options.chatTemplate !== undefined || options.templateVariables !== undefined) {
    throw new InputError("A remote server renders chat with its own template; chatTemplate and templateVariables cannot be sent", {
      hint: "start the server with the template (createServer({ chatTemplate }))",
    });
  }
  const eos = options.eosTokenId;
  if (eos !== undefined && !(Array.isArray(eos) && eos.length === 0)) {
    throw new InputError("eosTokenId cannot be sent to an OpenAI-compatible server (only [] for ignore_eos)", { hint: "use stop strings" });
  }
  const wire: WireParams = {};
  const set = (field: string, value: unknown): void => {
    if (value !== undefined) wire[field] = value;
  };
  set("max_tokens", options.maxNewTokens);
  if (options.doSample === false) wire.temperature = 0;
  else set("temperature", options.temperature ?? (options.doSample ? 1 : undefined));
  set("top_p", options.topP);
  set("top_k", options.topK);
  set("min_p", options.minP);
  set("presence_penalty", options.presencePenalty);
  set("frequency_penalty", options.frequencyPenalty);
  set("repetition_penalty", options.repetitionPenalty);
  set("min_tokens", options.minNewTokens);
  set("seed", options.seed);
  set("stop", typeof options.stop === "string" ? [options.stop] : options.stop);
  set("n", options.numReturnSequences);
  if (Array.isArray(eos)) wire.ignore_eos = true;
  set("add_special_tokens", options.addSpecialTokens);
  set("cache_prompt", options.cachePrompt);
  Object.assign(wire, responseFormatFields(options.responseFormat));
  return wire;
}

/**
 * The wire fields of a response format: OpenAI's `response_format` for JSON (`json_schema` with `strict: true`,
 * `json_object`), vLLM's `guided_regex` and `guided_grammar` (which `@proj/server` accepts too) for the others.
 *
 * @example
 * responseFormatFields({ type: "regex", pattern: "[0-9]+" }); // { guided_regex: "[0-9]+" }
 */
export function responseFormatFields(format: GeneratorCallOptions["responseFormat"]): WireParams {
  switch (format?.type) {
    case "json_schema":
      return { response_format: { type: "json_schema", json_schema: { name: "response", schema: format.schema, strict: true } } };
    case "json_object":
      return { response_format: { type: "json_object" } };
    case "regex":
      return { guided_regex: format.pattern };
    case "grammar":
      return { guided_grammar: format.grammar };
    default:
      return {};
  }
}
