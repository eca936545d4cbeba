import type { LanguageModelV3CallOptions, SharedV3Warning } from "@ai-sdk/provider";
import type { DecodingOptions } from "@proj/core";
import { checkOptions, DECODING_OPTION_NAMES } from "@proj/core/internal";
import type { GeneratorCallOptions, ToolOptions } from "@proj/decoder";
import { toolOptions } from "./tools.js";

/**
 * The decoding options a call may add through `providerOptions.proj` (those the AI SDK's call settings do not
 * name: `repetitionPenalty`, `minP`, `numBeams`, `noRepeatNgramSize`, `maxTime` ...), checked by name like every
 * `@proj` option; `signal` comes from `abortSignal` and `responseFormat` from the call's own `responseFormat`.
 */
export type ProjCallProviderOptions = Omit<DecodingOptions, "signal" | "responseFormat">;

const PROVIDER_OPTION_NAMES: readonly string[] = DECODING_OPTION_NAMES.filter((n) => n !== "signal" && n !== "responseFormat");

/** A call of the AI SDK as @proj's generator call options, and the warnings about settings that were not used. */
export interface MappedCall {
  /** Options for `generate()` / `chat()` of `@proj/decoder`. */
  options: GeneratorCallOptions;
  /** The tools and tool choice, for `chat()`. */
  tools: ToolOptions;
  /** What the AI SDK reports as `warnings`. */
  warnings: SharedV3Warning[];
}

/**
 * Maps the AI SDK's call settings onto @proj's decoding options: `maxOutputTokens` -> `maxNewTokens`,
 * `temperature`/`topP`/`topK` (OpenAI's rule: `temperature: 0` is greedy, a positive temperature samples, none of
 * them leaves it to the model's generation config), `presencePenalty`, `frequencyPenalty`, `seed`, `stopSequences`
 * -> `stop`, `responseFormat: { type: "json", schema? }` -> constrained decoding (`json_schema`, or any JSON
 * object without a schema), `abortSignal` -> `signal`, plus `providerOptions.proj` (see
 * {@link ProjCallProviderOptions}); function tools and the tool choice go to `chat()` (see `toolOptions`).
 * Request headers (the `ai` package sends its user agent) mean nothing in process and are not read.
 *
 * @example
 * const { options } = mapCallOptions({ prompt, maxOutputTokens: 20, temperature: 0 });
 * // { maxNewTokens: 20, temperature: 0 }
 */
export function mapCallOptions(call: LanguageModelV3CallOptions): MappedCall {
  const warnings: SharedV3Warning[] = [];
  const extra = checkOptions(
    call.providerOptions?.proj as ProjCallProviderOptions | undefined,
    "providerOptions.proj",
    PROVIDER_OPTION_NAMES,
  );
  const options: GeneratorCallOptions = { ...extra };
  if (call.maxOutputTokens !== undefined) options.maxNewTokens = call.maxOutputTokens;
  if (call.temperature !== undefined) options.temperature = call.temperature;
  if (call.topP !== undefined) options.topP = call.topP;
  if (call.topK !== undefined) options.topK = call.topK;
  if (call.presencePenalty !== undefined) options.presencePenalty = call.presencePenalty;
  if (call.frequencyPenalty !== undefined) options.frequencyPenalty = call.frequencyPenalty;
  if (call.seed !== undefined) options.seed = call.seed;
  if (call.stopSequences !== undefined && call.stopSequences.length > 0) options.stop = [...call.stopSequences];
  if (call.abortSignal !== undefined) options.signal = call.abortSignal;
  if (call.responseFormat?.type === "json") {
    options.responseFormat =
      call.responseFormat.schema !== undefined
        ? { type: "json_schema", schema: call.responseFormat.schema as Record<string, unknown> }
        : { type: "json_object" };
  }
  return { options, warnings, tools: toolOptions(call, warnings) };
}
