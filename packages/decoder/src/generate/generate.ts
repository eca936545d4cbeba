import type { GenerationResult } from "@proj/core";
import { checkOptions } from "@proj/core/internal";
import { defaultGenerationModel } from "../shared/defaults.js";
import { generatorFor } from "../shared/generators.js";
import { GENERATE_OPTION_NAMES } from "./option-names.js";
import type { GenerateOptions } from "./types.js";

/**
 * Continues a prompt with a decoder-only model: greedy by default (or as generation_config.json says),
 * with sampling (`doSample`, `temperature`, `topK`, `topP`, `minP`, `seed`), penalties (`repetitionPenalty`,
 * `presencePenalty`, `frequencyPenalty`, `noRepeatNgramSize`), beam search (`numBeams`), stop strings and metrics.
 * `model` may be a folder, a Hub id, or a {@link Generator} (local, or remote from {@link createRemoteGenerator}).
 * Unknown options are refused with an `InputError` naming the nearest known one.
 *
 * @example
 * const { text, finishReason, metrics } = await generate("Once upon a time", { model: "./models/gpt2", maxNewTokens: 30 });
 * const results = await generate(["Hello", "Goodbye"], { maxNewTokens: 10, doSample: true, topP: 0.9, seed: 42 });
 */
export async function generate(prompt: string, options?: GenerateOptions): Promise<GenerationResult>;
export async function generate(prompts: string[], options?: GenerateOptions): Promise<GenerationResult[]>;
export async function generate(input: string | string[], options?: GenerateOptions): Promise<GenerationResult | GenerationResult[]> {
  const { model, load, ...call } = checkOptions(options, "generate()", GENERATE_OPTION_NAMES);
  const generator = await generatorFor("generate", model, defaultGenerationModel(), load, call.signal);
  return Array.isArray(input) ? generator.generate(input, call) : generator.generate(input, call);
}
