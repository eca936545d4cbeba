import { TextStream } from "@proj/core";
import { chainTokenCallbacks, checkOptions } from "@proj/core/internal";
import { GENERATE_OPTION_NAMES } from "../generate/option-names.js";
import type { GenerateOptions } from "../generate/types.js";
import { defaultGenerationModel } from "../shared/defaults.js";
import { generatorFor } from "../shared/generators.js";

/**
 * Streams the continuation of a prompt: text deltas as tokens come (never half a character, never a
 * stop string), then the final result.
 *
 * @example
 * const s = stream("Once upon a time", { maxNewTokens: 50, stop: ["\n\n"] });
 * for await (const { text } of s) process.stdout.write(text);
 * console.log((await s.result).metrics.ttftMs);
 */
export function stream(prompt: string, options?: GenerateOptions): TextStream {
  const { model, load, ...call } = checkOptions(options, "stream()", GENERATE_OPTION_NAMES);
  return new TextStream(async (onToken) => {
    const generator = await generatorFor("stream", model, defaultGenerationModel(), load, call.signal);
    return generator.generate(prompt, { ...call, onToken: chainTokenCallbacks(call.onToken, onToken) });
  });
}
