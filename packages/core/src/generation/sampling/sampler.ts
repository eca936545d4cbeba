import { nucleusSelect } from "./nucleus.js";
import type { Rng } from "./rng.js";
import { argmax, CandidateBuffer, topK } from "./top-candidates.js";

/** How a token is drawn from the logits. */
export interface SamplingParams {
  /** Softmax temperature (0 = greedy). */
  temperature: number;
  /** Keep the `topK` most likely tokens (0 = all). */
  topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches `topP` (1 = all). */
  topP: number;
  /** Drop tokens less likely than `minP` times the most likely one (0 = none). */
  minP: number;
}

/**
 * Draws tokens with temperature, top-k, top-p (nucleus) and min-p, applied in transformers' order.
 * One pass computes the weights `exp((logit - max) / temperature)` into a reused buffer; top-k selects with a
 * heap and top-p with a quickselect by mass (no sort of the whole vocabulary); buffers are sized once per sampler.
 *
 * @example
 * const sampler = new Sampler(vocabSize);
 * const token = sampler.sample(logits, { temperature: 0.8, topK: 0, topP: 0.9, minP: 0 }, createRng(7));
 */
export class Sampler {
  readonly #buffer: CandidateBuffer;
  readonly #weights: Float32Array;
  readonly #ids: Int32Array;

  constructor(vocabSize: number) {
    this.#buffer = new CandidateBuffer(vocabSize);
    this.#weights = new Float32Array(vocabSize);
    this.#ids = new Int32Array(vocabSize);
  }

  /** Draws one token id. */
  sample(logits: Float32Array, params: SamplingParams, rng: Rng): number {
    const t = params.temperature;
    if (t === 0) return argmax(logits);
    const max = maxFinite(logits);
    if (max === Number.NEGATIVE_INFINITY) return argmax(logits);
    const n = logits.length;
    const inv = 1 / t;

    if (params.topK > 0) {
      // Top-k first: the later filters renormalise over the k candidates only, as transformers does.
      const buffer = this.#buffer;
      topK(logits, params.topK, buffer);
      let total = 0;
      for (let c = 0; c < buffer.count; c++) total += Math.exp(((buffer.values[c] as number) - max) * inv);
      let count = buffer.count;
      if (params.topP < 1) {
        let before = 0;
        count = 0;
        while (count < buffer.count && (count === 0 || before < params.topP * (1 - 1e-6))) {
          before += Math.exp(((buffer.values[count] as number) - max) * inv) / total;
          count++;
        }
      }
      const ids = this.#ids;
      const w = this.#weights;
      for (let c = 0; c < count; c++) {
        ids[c] = buffer.ids[c] as number;
        w[buffer.ids[c] as number] = Math.exp(((buffer.values[c] as number) - max) * inv);
      }
      return this.#draw(ids, count, params.minP, rng);
    }

    const w = this.#weights;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.exp(((logits[i] as number) - max) * inv);
      w[i] = v;
      total += v;
    }
    const ids = this.#ids;
    for (let i = 0; i < n; i++) ids[i] = i;
    const count = params.topP < 1 ? nucleusSelect(w, ids, n, params.topP * total) : n;
    return this.#draw(ids, count, params.minP, rng);
  }

  /** Draws among `ids[0..count)` by their weights, after min-p (relative to the best weight, which is 1). */
  #draw(ids: Int32Array, count: number, minP: number, rng: Rng): number {
    const w = this.#weights;
    const floor = minP > 0 ? minP : 0;
    let total = 0;
    for (let c = 0; c < count; c++) {
      const v = w[ids[c] as number] as number;
      if (v >= floor) total += v;
    }
    let u = rng.next() * total;
    let last = ids[0] as number;
    for (let c = 0; c < count; c++) {
      const id = ids[c] as number;
      const v = w[id] as number;
      if (v < floor || v === 0) continue;
      last = id;
      u -= v;
      if (u < 0) return id;
    }
    return last;
  }
}

function maxFinite(logits: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) if ((logits[i] as number) > max) max = logits[i] as number;
  return max;
}
