import type { GenerateOptions } from "../generate/options.js";
import { checkOptions } from "../shared/check-options.js";
import { defaultGenerationModel } from "../shared/defaults.js";
import { generatorFor } from "../shared/generators.js";
import { GenerationStream } from "./generation-stream.js";

/**
 * Streams the continuation of a prompt: text deltas as tokens come (never half a character, never a
 * stop string), then the final result.
 *
 * @example
 * const s = stream("Once upon a time", { maxNewTokens: 50, stop: ["\n\n"] });
 * for await (const { text } of s) process.stdout.write(text);
 * console.log((await s.result).metrics.ttftMs);
 */
export function stream(prompt: string, options: GenerateOptions = {}): GenerationStream {
  checkOptions(options, "stream");
  const { model = defaultGenerationModel(), load, ...call } = options;
  return new GenerationStream(async (onToken) => {
    const generator = await generatorFor(model, load, call.signal);
    return generator.generate(prompt, { ...call, onToken });
  });
}
