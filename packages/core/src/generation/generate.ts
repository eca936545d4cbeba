import { beamSearch } from "./beam/beam-search.js";
import type { DecoderRunner } from "./runner/decoder-runner.js";
import { ContinuousBatcher } from "./scheduler/continuous-batcher.js";
import type { EngineRequest, GeneratedSequence } from "./types.js";

/**
 * Runs the decoding engine on a batch of inputs: beam search when `numBeams > 1`, otherwise greedy decoding
 * or sampling, all inputs decoded together and each finishing on its own. Returns, per input, its generated
 * sequences (best first for beam search).
 *
 * @example
 * const runner = new CausalRunner(model.session("model"), model.config);
 * const [[best]] = await runEngine(runner, { prompts: [{ inputIds }], contexts: [inputIds], options, tokenizer, metrics });
 */
export function runEngine(runner: DecoderRunner, request: EngineRequest): Promise<GeneratedSequence[][]> {
  if (request.options.numBeams > 1) return beamSearch(runner, request);
  const batcher = new ContinuousBatcher(runner, { maxSequences: Number.POSITIVE_INFINITY });
  const { onToken } = request;
  return Promise.all(
    request.prompts.map((prompt, input) =>
      batcher.submit({
        prompt,
        context: request.contexts[input] ?? [],
        options: request.options,
        tokenizer: request.tokenizer,
        metrics: request.metrics,
        ...(onToken ? { onToken: (event) => onToken({ ...event, input }) } : {}),
      }),
    ),
  );
}
