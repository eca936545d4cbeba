import { checkOptions } from "../shared/check-options.js";
import { defaultGenerationModel } from "../shared/defaults.js";
import { generatorFor } from "../shared/generators.js";
import type { GenerateOptions, GenerationResult } from "./options.js";

/**
 * Continues a prompt with a decoder-only model: greedy by default (or as generation_config.json says),
 * with sampling (`doSample`, `temperature`, `topK`, `topP`, `minP`, `seed`), penalties (`repetitionPenalty`,
 * `presencePenalty`, `frequencyPenalty`, `noRepeatNgramSize`), beam search (`numBeams`), stop strings and metrics.
 *
 * @example
 * const { text, finishReason, metrics } = await generate("Once upon a time", { model: "./models/gpt2", maxNewTokens: 30 });
 * const results = await generate(["Hello", "Goodbye"], { maxNewTokens: 10, doSample: true, topP: 0.9, seed: 42 });
 */
export async function generate(prompt: string, options?: GenerateOptions): Promise<GenerationResult>;
export async function generate(prompts: string[], options?: GenerateOptions): Promise<GenerationResult[]>;
export async function generate(input: string | string[], options: GenerateOptions = {}): Promise<GenerationResult | GenerationResult[]> {
  checkOptions(options, "generate");
  const generator = await generatorFor(options.model ?? defaultGenerationModel(), options.load, options.signal);
  const { model: _model, load: _load, ...call } = options;
  return Array.isArray(input) ? generator.generate(input, call) : generator.generate(input, call);
}
