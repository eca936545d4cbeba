import { compileResponseFormat } from "../constraint/compiled-grammar.js";
import type { RowConstraint } from "../constraint/row-constraint.js";
import { buildProcessors } from "../processors/build-processors.js";
import { applyProcessors } from "../processors/logits-processor.js";
import type { DecoderRunner } from "../runner/decoder-runner.js";
import { CandidateBuffer, topK } from "../sampling/top-candidates.js";
import { SequenceState } from "../sequence-state.js";
import type { EngineRequest, FinishReason, GeneratedSequence } from "../types.js";
import { BeamHypotheses } from "./beam-hypotheses.js";
import { logSoftmaxInPlace, logSoftmaxTopK } from "./log-softmax.js";
import { cutAtStop } from "./cut-at-stop.js";

interface Candidate {
  beam: number;
  token: number;
  score: number;
}

/**
 * Beam search as transformers runs it: per step, log-softmax, processors, add the beam's score, keep the
 * best `max(2, 1 + eos count) × numBeams` candidates over all beams of an input; end-of-sequence candidates
 * ranked within the first `numBeams` become finished hypotheses (length-normalised), the best others become
 * the next beams, and the KV cache is reordered to follow them. Inputs whose search is done leave the batch.
 * With a response format, each beam has its own grammar matcher, masking its log-probabilities after the processors;
 * a beam continued by several children forks its matcher.
 *
 * @example
 * const sequences = await beamSearch(runner, request); // request.options.numBeams > 1
 */
export async function beamSearch(runner: DecoderRunner, request: EngineRequest): Promise<GeneratedSequence[][]> {
  const { options } = request;
  const grammar =
    request.grammar ?? (options.responseFormat ? await compileResponseFormat(request.tokenizer, options.responseFormat) : undefined);
  const created: RowConstraint[] = [];
  const track = (c: RowConstraint): RowConstraint => {
    created.push(c);
    return c;
  };
  try {
    return await search(
      runner,
      request,
      grammar ? (c) => (c ? c.fork().then(track) : grammar.matcher(options.eosTokenIds).then(track)) : undefined,
    );
  } finally {
    for (const c of created) c.dispose();
  }
}

/** A new matcher (no argument) or a copy of one; undefined without a response format. */
type NewConstraint = ((from?: RowConstraint) => Promise<RowConstraint>) | undefined;

async function search(runner: DecoderRunner, request: EngineRequest, newConstraint: NewConstraint): Promise<GeneratedSequence[][]> {
  const { options, metrics } = request;
  const started = performance.now();
  const numBeams = options.numBeams;
  const processors = buildProcessors(options);
  const eos = new Set(options.eosTokenIds);
  const keepCount = Math.max(2, 1 + eos.size) * numBeams;
  const inputs = request.prompts.length;

  const prefill = await runner.prefill(request.prompts, options.signal);
  metrics.prefilled();
  const vocab = prefill.logits[0]?.length ?? 0;
  const buffer = new CandidateBuffer(vocab);
  const hyps = request.prompts.map(() => new BeamHypotheses(numBeams, options.lengthPenalty, options.earlyStopping, options.maxNewTokens));
  const done = new Array<boolean>(inputs).fill(false);

  // Row layout: the open inputs in order, numBeams rows each. The first step uses one row per input.
  let open = request.prompts.map((_, i) => i);
  let cache = prefill.cache;
  let logits = prefill.logits;
  let beamsPerInput = 1;
  let states: SequenceState[] = request.prompts.map((_, i) => new SequenceState(request.contexts[i] ?? [], options.noRepeatNgramSize));
  let constraints: (RowConstraint | undefined)[] = newConstraint
    ? await Promise.all(request.prompts.map(() => newConstraint()))
    : request.prompts.map(() => undefined);
  let scores: number[] = new Array<number>(inputs).fill(0);
  let generated = 0;
  let stopReason: FinishReason = "length";

  for (;;) {
    const sources: number[] = [];
    // Per new row, a row of the same input in the old layout: its encoder memory (equal for all beams of an input).
    const encoderRows: number[] = [];
    const nextTokens: number[] = [];
    const nextScores: number[] = [];
    const nextStates: SequenceState[] = [];
    const nextConstraints: Promise<RowConstraint | undefined>[] = [];
    const nextOpen: number[] = [];
    for (let o = 0; o < open.length; o++) {
      const input = open[o] as number;
      const candidates: Candidate[] = [];
      for (let j = 0; j < beamsPerInput; j++) {
        const row = o * beamsPerInput + j;
        const rowLogits = logits[row] as Float32Array;
        const constraint = constraints[row];
        if (processors.length > 0 || constraint) {
          // Processors see log-probabilities, as in transformers' beam search; the grammar masks last.
          logSoftmaxInPlace(rowLogits);
          applyProcessors(processors, rowLogits, states[row] as SequenceState);
          if (constraint) await constraint.mask(rowLogits);
          topK(rowLogits, keepCount, buffer);
        } else {
          logSoftmaxTopK(rowLogits, keepCount, buffer);
        }
        for (let c = 0; c < buffer.count; c++) {
          candidates.push({ beam: row, token: buffer.ids[c] as number, score: (buffer.values[c] as number) + (scores[row] as number) });
        }
      }
      candidates.sort((a, b) => b.score - a.score || a.beam - b.beam || a.token - b.token);
      const chosen: Candidate[] = [];
      for (let rank = 0; rank < Math.min(keepCount, candidates.length) && chosen.length < numBeams; rank++) {
        const cand = candidates[rank] as Candidate;
        if (eos.has(cand.token)) {
          if (rank < numBeams)
            (hyps[input] as BeamHypotheses).add((states[cand.beam] as SequenceState).generated, cand.score, generated + 1, true);
        } else {
          chosen.push(cand);
        }
      }
      // Fewer allowed tokens than beams (heavy bans): fill with dead beams that can never win, as transformers' top-k does.
      const head = chosen[0];
      while (head && chosen.length < numBeams) chosen.push({ ...head, score: Number.NEGATIVE_INFINITY });
      const best = candidates[0]?.score ?? Number.NEGATIVE_INFINITY;
      if (!head || (hyps[input] as BeamHypotheses).isDone(best, generated + 1)) {
        done[input] = true;
        continue;
      }
      nextOpen.push(input);
      const used = new Set<number>();
      for (const [j, cand] of chosen.entries()) {
        sources.push(cand.beam);
        encoderRows.push(o * beamsPerInput + (beamsPerInput === numBeams ? j : 0));
        nextTokens.push(cand.token);
        nextScores.push(cand.score);
        // A beam continued by several children: the first takes its state, the others copies (made before any append).
        const parent = states[cand.beam] as SequenceState;
        const state = used.has(cand.beam) ? parent.clone() : parent;
        const constraint = constraints[cand.beam];
        nextConstraints.push(constraint && used.has(cand.beam) && newConstraint ? newConstraint(constraint) : Promise.resolve(constraint));
        used.add(cand.beam);
        nextStates.push(state);
      }
    }
    // Forks are made before any beam takes its token.
    const forked = await Promise.all(nextConstraints);
    nextStates.forEach((s, k) => {
      s.append(nextTokens[k] as number);
      forked[k]?.accept(nextTokens[k] as number);
    });
    constraints = forked;
    metrics.step();
    generated += 1;
    open = nextOpen;
    states = nextStates;
    scores = nextScores;
    beamsPerInput = numBeams;
    if (open.length === 0) break;
    if (generated >= options.maxNewTokens) break;
    if (options.signal?.aborted) {
      stopReason = "abort";
      break;
    }
    if (options.maxTime !== undefined && performance.now() - started >= options.maxTime) break;
    try {
      ({ cache, logits } = await runner.step(cache.gather(sources, encoderRows), nextTokens, options.signal));
    } catch (error) {
      if (!options.signal?.aborted) throw error;
      stopReason = "abort";
      break;
    }
  }

  // Open beams of unfinished inputs compete with the finished hypotheses, as transformers' finalize does.
  open.forEach((input, o) => {
    if (done[input]) return;
    for (let j = 0; j < numBeams; j++) {
      const row = o * numBeams + j;
      const state = states[row];
      if (state) (hyps[input] as BeamHypotheses).add(state.generated, scores[row] as number, state.generatedLength, false);
    }
  });

  const out: GeneratedSequence[][] = [];
  for (let input = 0; input < inputs; input++) {
    const ranked = (hyps[input] as BeamHypotheses).sorted();
    const alive = ranked.filter((h) => h.score > Number.NEGATIVE_INFINITY);
    const best = (alive.length ? alive : ranked).slice(0, options.numReturnSequences);
    const sequences: GeneratedSequence[] = [];
    for (const hyp of best) {
      const context = (request.contexts[input] ?? []).slice(-5);
      const { text, stopped } = cutAtStop(await request.tokenizer.decodeContinuation(context, hyp.tokens), options.stop);
      sequences.push({ tokenIds: hyp.tokens, text, finishReason: hyp.ended || stopped ? "stop" : stopReason, score: hyp.score });
    }
    out.push(sequences);
  }
  return out;
}
