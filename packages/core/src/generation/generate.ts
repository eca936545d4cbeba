import { beamSearch } from "./beam/beam-search.js";
import { sampleLoop } from "./loop/sample-loop.js";
import type { DecoderRunner } from "./runner/decoder-runner.js";
import type { EngineRequest, GeneratedSequence } from "./types.js";

/**
 * Runs the decoding engine: beam search when `numBeams > 1`, otherwise greedy decoding or sampling.
 * Returns, per input, its generated sequences (best first for beam search).
 *
 * @example
 * const runner = new CausalRunner(model.session("model"), model.config);
 * const [[best]] = await runEngine(runner, { prompts: [{ inputIds }], contexts: [inputIds], options, tokenizer, metrics });
 */
export function runEngine(runner: DecoderRunner, request: EngineRequest): Promise<GeneratedSequence[][]> {
  return request.options.numBeams > 1 ? beamSearch(runner, request) : sampleLoop(runner, request);
}
