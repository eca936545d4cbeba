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
 * Works on the candidates only: top-k with a heap, top-p by widening a sorted top set until it holds the
 * nucleus (no sort of the whole vocabulary), one reused buffer per sampler.
 *
 * @example
 * const sampler = new Sampler(vocabSize);
 * const token = sampler.sample(logits, { temperature: 0.8, topK: 0, topP: 0.9, minP: 0 }, createRng(7));
 */
export class Sampler {
  readonly #buffer: CandidateBuffer;

  constructor(vocabSize: number) {
    this.#buffer = new CandidateBuffer(vocabSize);
  }

  /** Draws one token id. */
  sample(logits: Float32Array, params: SamplingParams, rng: Rng): number {
    const t = params.temperature;
    if (t === 0) return argmax(logits);
    const max = maxFinite(logits);
    if (max === Number.NEGATIVE_INFINITY) return argmax(logits);
    const buffer = this.#buffer;
    const weight = (v: number): number => Math.exp((v - max) / t);

    let total: number;
    if (params.topK > 0) {
      topK(logits, params.topK, buffer);
      total = 0;
      for (let i = 0; i < buffer.count; i++) total += weight(buffer.values[i] as number);
    } else if (params.topP < 1) {
      total = 0;
      for (let i = 0; i < logits.length; i++) total += weight(logits[i] as number);
      this.#nucleus(logits, params.topP, total, weight);
    } else if (params.minP > 0) {
      this.#aboveThreshold(logits, max + t * Math.log(params.minP));
      total = Number.NaN; // not needed: min-p below only compares with the best
    } else {
      return sampleFull(logits, weight, rng);
    }

    if (params.topP < 1) buffer.count = nucleusCount(buffer, params.topP, total, weight);
    if (params.minP > 0) {
      const floor = params.minP * weight(max);
      let kept = 0;
      for (let i = 0; i < buffer.count; i++) {
        if (weight(buffer.values[i] as number) >= floor) {
          buffer.ids[kept] = buffer.ids[i] as number;
          buffer.values[kept++] = buffer.values[i] as number;
        }
      }
      buffer.count = Math.max(kept, 1);
    }
    let sum = 0;
    for (let i = 0; i < buffer.count; i++) sum += weight(buffer.values[i] as number);
    let u = rng.next() * sum;
    for (let i = 0; i < buffer.count; i++) {
      u -= weight(buffer.values[i] as number);
      if (u < 0) return buffer.ids[i] as number;
    }
    return buffer.ids[buffer.count - 1] as number;
  }

  /** Fills the buffer with a sorted top set large enough to hold the nucleus of mass `p`. */
  #nucleus(logits: Float32Array, p: number, total: number, weight: (v: number) => number): void {
    const buffer = this.#buffer;
    for (let k = 64; ; k *= 4) {
      topK(logits, k, buffer);
      if (buffer.count < k || k >= logits.length) return;
      let mass = 0;
      for (let i = 0; i < buffer.count; i++) mass += weight(buffer.values[i] as number);
      if (mass / total >= p) return;
    }
  }

  #aboveThreshold(logits: Float32Array, threshold: number): void {
    const buffer = this.#buffer;
    let n = 0;
    for (let i = 0; i < logits.length; i++) {
      const v = logits[i] as number;
      if (v >= threshold) {
        buffer.ids[n] = i;
        buffer.values[n++] = v;
      }
    }
    buffer.count = n;
  }
}

/**
 * How many of the sorted candidates form the nucleus: tokens are kept while the probability mass before
 * them is below `p` (transformers' TopPLogitsWarper), and at least one is kept.
 */
function nucleusCount(buffer: CandidateBuffer, p: number, total: number, weight: (v: number) => number): number {
  let before = 0;
  let n = 0;
  while (n < buffer.count && (n === 0 || before < p)) {
    before += weight(buffer.values[n] as number) / total;
    n++;
  }
  return n;
}

function maxFinite(logits: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) if ((logits[i] as number) > max) max = logits[i] as number;
  return max;
}

function sampleFull(logits: Float32Array, weight: (v: number) => number, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += weight(logits[i] as number);
  let u = rng.next() * total;
  let last = 0;
  for (let i = 0; i < logits.length; i++) {
    const w = weight(logits[i] as number);
    if (w > 0) last = i;
    u -= w;
    if (u < 0) return i;
  }
  return last;
}
