import { expNonPositive } from "../math/exp.js";
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

/** Buckets of the scaled logits used to narrow the top-p search (see {@link Sampler}); 255 marks "no bucket". */
const BUCKETS = 255;
const NO_BUCKET = 255;
/**
 * Tokens whose scaled logit is more than this below the best one are left out (weight `exp(-30)` ≈ 9e-14 of the
 * best token's): with the best token's weight 1 in the total, even 100,000 of them carry under 1e-8 of the mass.
 */
const CUTOFF = 30;

/**
 * Draws tokens with temperature, top-k, top-p (nucleus) and min-p, applied in transformers' order.
 * One pass computes the weights `exp((logit - max) / temperature)` into a reused buffer and sorts the tokens into
 * 255 buckets by scaled logit; top-p then needs no sort: the buckets above the one where the mass crosses p are
 * kept whole, and a quickselect by mass runs inside that one bucket. Top-k selects with a heap. Buffers are sized
 * once per sampler.
 *
 * @example
 * const sampler = new Sampler(vocabSize);
 * const token = sampler.sample(logits, { temperature: 0.8, topK: 0, topP: 0.9, minP: 0 }, createRng(7));
 */
export class Sampler {
  readonly #buffer: CandidateBuffer;
  readonly #weights: Float32Array;
  readonly #ids: Int32Array;
  readonly #boundary: Int32Array;
  readonly #bucketOf: Uint8Array;
  readonly #bucketMass = new Float64Array(BUCKETS);

  constructor(vocabSize: number) {
    this.#buffer = new CandidateBuffer(vocabSize);
    this.#weights = new Float32Array(vocabSize);
    this.#ids = new Int32Array(vocabSize);
    this.#boundary = new Int32Array(vocabSize);
    this.#bucketOf = new Uint8Array(vocabSize);
  }

  /** Draws one token id. */
  sample(logits: Float32Array, params: SamplingParams, rng: Rng): number {
    if (params.temperature === 0) return argmax(logits);
    if (params.topK <= 0 && params.topP >= 1) return this.#drawDense(logits, params, rng);
    const count = this.#candidates(logits, params);
    if (count < 0) return argmax(logits);
    return this.#draw(count, params.minP, rng);
  }

  /**
   * The token ids {@link Sampler.sample} can draw for these logits and parameters (after top-k, top-p and min-p),
   * in no particular order; for tests and diagnostics.
   *
   * @example
   * sampler.support(logits, { temperature: 1, topK: 0, topP: 0.9, minP: 0 }); // Int32Array [17, 4, 230, ...]
   */
  support(logits: Float32Array, params: SamplingParams): Int32Array {
    if (params.temperature === 0) return Int32Array.of(argmax(logits));
    const count = this.#candidates(logits, params);
    if (count < 0) return Int32Array.of(argmax(logits));
    const floor = Math.max(params.minP, 0);
    const ids = this.#ids.subarray(0, count).filter((id) => (this.#weights[id] as number) >= floor && (this.#weights[id] as number) > 0);
    return ids.length > 0 ? ids : this.#ids.slice(0, 1);
  }

  /**
   * Puts the candidate ids at the front of `#ids` with their weights in `#weights` (the best token's weight is 1)
   * and returns how many there are; -1 when no logit is finite.
   */
  #candidates(logits: Float32Array, params: SamplingParams): number {
    let max = Number.NEGATIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < logits.length; i++) {
      const v = logits[i] as number;
      if (v > max) max = v;
      if (v < min && v > Number.NEGATIVE_INFINITY) min = v;
    }
    if (max === Number.NEGATIVE_INFINITY || !Number.isFinite(max)) return -1;
    const inv = 1 / params.temperature;
    const ids = this.#ids;
    const w = this.#weights;

    if (params.topK > 0) {
      // Top-k first: the later filters renormalise over the k candidates only, as transformers does.
      const buffer = this.#buffer;
      topK(logits, params.topK, buffer);
      let total = 0;
      for (let c = 0; c < buffer.count; c++) total += expNonPositive(((buffer.values[c] as number) - max) * inv);
      let count = buffer.count;
      if (params.topP < 1) {
        let before = 0;
        count = 0;
        while (count < buffer.count && (count === 0 || before < params.topP * (1 - 1e-6))) {
          before += expNonPositive(((buffer.values[count] as number) - max) * inv) / total;
          count++;
        }
      }
      for (let c = 0; c < count; c++) {
        ids[c] = buffer.ids[c] as number;
        w[buffer.ids[c] as number] = expNonPositive(((buffer.values[c] as number) - max) * inv);
      }
      return count;
    }

    // One pass: weights, their total, and each token's bucket of scaled logit in [lowest, 0].
    const n = logits.length;
    const lowest = Math.max((min - max) * inv, -CUTOFF);
    const scale = lowest < 0 ? BUCKETS / -lowest : 0;
    const bucketOf = this.#bucketOf;
    const mass = this.#bucketMass;
    mass.fill(0);
    let total = 0;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const scaled = ((logits[i] as number) - max) * inv;
      if (!(scaled >= lowest)) {
        w[i] = 0;
        bucketOf[i] = NO_BUCKET;
        continue;
      }
      const v = expNonPositive(scaled);
      w[i] = v;
      total += v;
      let b = Math.floor((scaled - lowest) * scale);
      if (b >= BUCKETS) b = BUCKETS - 1;
      bucketOf[i] = b;
      mass[b] = (mass[b] as number) + v;
      kept++;
    }
    if (params.topP >= 1) {
      let c = 0;
      for (let i = 0; i < n; i++) if (bucketOf[i] !== NO_BUCKET) ids[c++] = i;
      return kept;
    }

    // The bucket where the mass, from the top, reaches p: every bucket above it is in the nucleus whole.
    const target = params.topP * total;
    const eps = target * 1e-6;
    let above = 0;
    let cut = -1;
    for (let b = BUCKETS - 1; b >= 0; b--) {
      if (above + (mass[b] as number) >= target - eps) {
        cut = b;
        break;
      }
      above += mass[b] as number;
    }
    if (cut < 0) return this.#candidates(logits, { ...params, topP: 1 }); // p ≈ 1 up to rounding: everything
    const boundary = this.#boundary;
    let front = 0;
    let inCut = 0;
    for (let i = 0; i < n; i++) {
      const b = bucketOf[i] as number;
      if (b === NO_BUCKET || b < cut) continue;
      if (b > cut) ids[front++] = i;
      else boundary[inCut++] = i;
    }
    // The mass still needed is above eps here (the buckets above did not reach the target), so the cut bucket holds tokens.
    const taken = inCut > 0 ? nucleusSelect(w, boundary, inCut, target - above, eps) : 0;
    for (let k = 0; k < taken; k++) ids[front + k] = boundary[k] as number;
    return front + taken;
  }

  /** Temperature (and min-p) only: draws over the whole vocabulary in two passes, with no candidate list. */
  #drawDense(logits: Float32Array, params: SamplingParams, rng: Rng): number {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < logits.length; i++) if ((logits[i] as number) > max) max = logits[i] as number;
    if (max === Number.NEGATIVE_INFINITY || !Number.isFinite(max)) return argmax(logits);
    const inv = 1 / params.temperature;
    const floor = Math.max(params.minP, 0);
    const w = this.#weights;
    let total = 0;
    for (let i = 0; i < logits.length; i++) {
      const scaled = ((logits[i] as number) - max) * inv;
      const v = scaled >= -CUTOFF ? expNonPositive(scaled) : 0;
      w[i] = v;
      if (v >= floor) total += v;
    }
    let u = rng.next() * total;
    let last = 0;
    for (let i = 0; i < logits.length; i++) {
      const v = w[i] as number;
      if (v < floor || v === 0) continue;
      last = i;
      u -= v;
      if (u < 0) return i;
    }
    return last;
  }

  /** Draws among `#ids[0..count)` by their weights, after min-p (relative to the best weight, which is 1). */
  #draw(count: number, minP: number, rng: Rng): number {
    const ids = this.#ids;
    const w = this.#weights;
    const floor = Math.max(minP, 0);
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
