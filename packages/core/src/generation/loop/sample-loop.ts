import { buildProcessors } from "../processors/build-processors.js";
import { applyProcessors } from "../processors/logits-processor.js";
import type { DecoderRunner } from "../runner/decoder-runner.js";
import { createRng, type Rng } from "../sampling/rng.js";
import { Sampler } from "../sampling/sampler.js";
import { argmax } from "../sampling/top-candidates.js";
import { SequenceState } from "../sequence-state.js";
import type { EngineRequest, FinishReason, GeneratedSequence } from "../types.js";
import { RowText } from "./row-text.js";

interface Row {
  input: number;
  sequence: number;
  state: SequenceState;
  rng: Rng;
  text: RowText;
  finish: FinishReason | undefined;
}

/**
 * Greedy decoding and sampling: prefill every prompt in one pass, then one token per active row per step,
 * dropping rows from the batch as they finish (end-of-sequence, stop string, length, time, abort).
 *
 * @example
 * const sequences = await sampleLoop(runner, request);
 */
export async function sampleLoop(runner: DecoderRunner, request: EngineRequest): Promise<GeneratedSequence[][]> {
  const { options, metrics } = request;
  const started = performance.now();
  const processors = buildProcessors(options);
  const eos = new Set(options.eosTokenIds);
  const sampling = options.doSample && options.temperature > 0;
  const perInput = options.numReturnSequences;

  const prefill = await runner.prefill(request.prompts, options.signal);
  metrics.prefilled();
  // Each input's prefill is shared by its returned sequences: repeat its cache row and copy its logits.
  const expand = request.prompts.flatMap((_, i) => Array.from({ length: perInput }, () => i));
  let cache = perInput === 1 ? prefill.cache : prefill.cache.gather(expand);
  let logits = perInput === 1 ? prefill.logits : expand.map((i) => Float32Array.from(prefill.logits[i] as Float32Array));
  const sampler = sampling ? new Sampler(logits[0]?.length ?? 0) : undefined;

  const rngs = request.prompts.map(() => createRng(options.seed));
  const rows: Row[] = expand.map((input, k) => ({
    input,
    sequence: k % perInput,
    state: new SequenceState(request.contexts[input] ?? [], options.noRepeatNgramSize),
    rng: rngs[input] as Rng,
    text: new RowText(request.tokenizer, options.stop, request.onToken !== undefined, request.contexts[input] ?? []),
    finish: undefined,
  }));
  let active = rows.map((_, i) => i);

  for (;;) {
    const chosen: number[] = [];
    for (let k = 0; k < active.length; k++) {
      const row = rows[active[k] as number] as Row;
      const rowLogits = logits[k] as Float32Array;
      applyProcessors(processors, rowLogits, row.state);
      const token = sampler ? sampler.sample(rowLogits, options, row.rng) : argmax(rowLogits);
      chosen.push(token);
      if (eos.has(token)) {
        row.finish = "stop";
        continue;
      }
      row.state.append(token);
      const delta = await row.text.push(token);
      request.onToken?.({ input: row.input, sequence: row.sequence, tokenId: token, text: delta });
      if (row.text.stopped) row.finish = "stop";
      else if (row.state.generatedLength >= options.maxNewTokens) row.finish = "length";
    }
    metrics.step();
    const timeUp = options.maxTime !== undefined && performance.now() - started >= options.maxTime;
    const aborted = options.signal?.aborted === true;
    const keep: number[] = [];
    const next: number[] = [];
    active.forEach((r, k) => {
      const row = rows[r] as Row;
      if (row.finish === undefined && (aborted || timeUp)) row.finish = aborted ? "abort" : "length";
      if (row.finish === undefined) {
        keep.push(k);
        next.push(chosen[k] as number);
      }
    });
    if (keep.length === 0) break;
    if (keep.length < active.length) cache = cache.gather(keep);
    active = keep.map((k) => active[k] as number);
    try {
      ({ cache, logits } = await runner.step(cache, next, options.signal));
    } catch (error) {
      if (!options.signal?.aborted) throw error;
      for (const r of active) (rows[r] as Row).finish = "abort";
      break;
    }
  }

  const out: GeneratedSequence[][] = request.prompts.map(() => []);
  for (const row of rows) {
    out[row.input]?.push({
      tokenIds: row.state.generated,
      text: await row.text.finish(row.state.generated),
      finishReason: row.finish ?? "length",
    });
  }
  return out;
}
