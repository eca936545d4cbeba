import { runRows } from "./generate-rows.js";
import type { DecoderRunner } from "./runner/decoder-runner.js";
import type { EngineRequest, GeneratedSequence } from "./types.js";

/**
 * Runs the decoding engine on a batch of inputs: beam search when `numBeams > 1`, otherwise greedy decoding
 * or sampling, all inputs decoded together and each finishing on its own. Returns, per input, its generated
 * sequences (best first for beam search). The engine of {@link generateRows}, without a handle's batcher.
 *
 * @example
 * const runner = new CausalRunner(model.session("model"), model.config);
 * const [[best]] = await runEngine(runner, { prompts: [{ inputIds }], contexts: [inputIds], options, tokenizer, metrics });
 */
export function runEngine(runner: DecoderRunner, request: EngineRequest): Promise<GeneratedSequence[][]> {
  return runRows({ runner }, request);
}
