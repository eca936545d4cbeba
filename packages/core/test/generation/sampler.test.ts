import { describe, expect, it } from "vitest";
import { argmax, CandidateBuffer, createRng, Sampler, topK } from "../../src/internal.js";

const probs = [0.5, 0.3, 0.15, 0.05];
const logits = Float32Array.from(probs.map(Math.log));

function draw(
  sampler: Sampler,
  l: Float32Array,
  params: Partial<{ temperature: number; topK: number; topP: number; minP: number }>,
  n: number,
  seed = 1,
): number[] {
  const rng = createRng(seed);
  const counts = new Array<number>(l.length).fill(0);
  for (let i = 0; i < n; i++) {
    const t = sampler.sample(l, { temperature: 1, topK: 0, topP: 1, minP: 0, ...params }, rng);
    counts[t] = (counts[t] ?? 0) + 1;
  }
  return counts.map((c) => c / n);
}

describe("candidate selection", () => {
  it("topK returns the k largest, best first, lowest id on ties, skipping -Infinity", () => {
    const l = Float32Array.from([1, 5, 3, 5, Number.NEGATIVE_INFINITY, 4]);
    const out = new CandidateBuffer(l.length);
    topK(l, 3, out);
    expect([...out.ids.subarray(0, out.count)]).toEqual([1, 3, 5]);
    topK(l, 10, out);
    expect(out.count).toBe(5);
    expect(argmax(l)).toBe(1);
  });

  it("matches a full sort on random logits", () => {
    const rng = createRng(5);
    const l = Float32Array.from({ length: 5000 }, () => rng.next() * 10 - 5);
    const out = new CandidateBuffer(l.length);
    topK(l, 40, out);
    const sorted = [...l.keys()].sort((a, b) => (l[b] as number) - (l[a] as number)).slice(0, 40);
    expect([...out.ids.subarray(0, 40)]).toEqual(sorted);
  });
});

describe("sampling distributions", () => {
  const sampler = new Sampler(4);
  const close = (got: number[], want: number[]): void => {
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(want[i] as number, 1);
    });
  };

  it("plain sampling follows softmax(logits)", () => close(draw(sampler, logits, {}, 20_000), probs));

  it("temperature 2 flattens: softmax(logits / 2)", () => {
    const scaled = probs.map((p) => Math.sqrt(p));
    const z = scaled.reduce((a, b) => a + b, 0);
    close(
      draw(sampler, logits, { temperature: 2 }, 20_000),
      scaled.map((p) => p / z),
    );
  });

  it("top-k keeps the k most likely, renormalised", () => {
    close(draw(sampler, logits, { topK: 2 }, 20_000), [0.5 / 0.8, 0.3 / 0.8, 0, 0]);
  });

  it("top-p keeps tokens while the mass before them is below p", () => {
    expect(draw(sampler, logits, { topP: 0.8 }, 5000).map((p) => p > 0)).toEqual([true, true, false, false]);
    expect(draw(sampler, logits, { topP: 0.81 }, 5000).map((p) => p > 0)).toEqual([true, true, true, false]);
    expect(draw(sampler, logits, { topP: 0.01 }, 2000)).toEqual([1, 0, 0, 0]);
  });

  it("min-p drops tokens below minP times the best one", () => {
    expect(draw(sampler, logits, { minP: 0.35 }, 5000).map((p) => p > 0)).toEqual([true, true, false, false]);
    expect(draw(sampler, logits, { minP: 0.25 }, 5000).map((p) => p > 0)).toEqual([true, true, true, false]);
  });

  it("a nucleus wider than the first candidate set is found (no full sort)", () => {
    const flat = new Float32Array(1000); // uniform: the 0.9 nucleus holds 900 tokens
    const big = new Sampler(1000);
    const freq = draw(big, flat, { topP: 0.9 }, 30_000);
    const used = freq.filter((p) => p > 0).length;
    expect(used).toBeGreaterThan(850);
    expect(used).toBeLessThanOrEqual(900);
  });

  it("temperature 0 is greedy", () => expect(draw(sampler, logits, { temperature: 0 }, 100)).toEqual([1, 0, 0, 0]));

  it("the same seed gives the same draws; another seed does not", () => {
    const a = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          sampler.sample(logits, { temperature: 1, topK: 0, topP: 1, minP: 0 }, rng)
      )(createRng(9)),
    );
    const b = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          sampler.sample(logits, { temperature: 1, topK: 0, topP: 1, minP: 0 }, rng)
      )(createRng(9)),
    );
    const c = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          sampler.sample(logits, { temperature: 1, topK: 0, topP: 1, minP: 0 }, rng)
      )(createRng(10)),
    );
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });
});

describe("nucleus selection by quickselect", () => {
  it("keeps exactly the sorted prefix whose mass first reaches p, on random and tied weights", async () => {
    const { nucleusSelect } = await import("../../src/generation/sampling/nucleus.js");
    const rng = createRng(21);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rng.next() * 300);
      const ties = trial % 3 === 0;
      const w = Float32Array.from({ length: n }, () => (ties ? Math.ceil(rng.next() * 5) / 5 : rng.next() ** 4));
      const p = 0.05 + rng.next() * 0.9;
      const total = w.reduce((a, b) => a + b, 0);
      const sorted = [...w].sort((a, b) => b - a);
      let want = 0;
      let before = 0;
      while (want < n && (want === 0 || before < p * total * (1 - 1e-6))) before += sorted[want++] as number;
      const ids = Int32Array.from({ length: n }, (_, i) => i);
      const got = nucleusSelect(w, ids, n, p * total);
      expect(got).toBe(want);
      const chosen = [...ids.subarray(0, got)].map((i) => w[i] as number).sort((a, b) => b - a);
      expect(chosen).toEqual(sorted.slice(0, got));
    }
  });
});

describe("top-p over the whole vocabulary (buckets + quickselect)", () => {
  /** transformers' TopPLogitsWarper on softmax(logits / t): the sorted prefix kept while the mass before is below p. */
  function bruteForce(l: Float32Array, t: number, p: number): number[] {
    const max = Math.max(...l.filter((v) => v > Number.NEGATIVE_INFINITY));
    const w = [...l].map((v) => (v > Number.NEGATIVE_INFINITY ? Math.exp((v - max) / t) : 0));
    const total = w.reduce((a, b) => a + b, 0);
    const order = w.map((_, i) => i).sort((a, b) => (w[b] as number) - (w[a] as number) || a - b);
    const kept: number[] = [];
    let before = 0;
    for (const id of order) {
      if (kept.length > 0 && before >= p * total * (1 - 1e-6)) break;
      if ((w[id] as number) === 0) break;
      kept.push(id);
      before += w[id] as number;
    }
    return kept;
  }

  it("keeps exactly transformers' nucleus on peaked, flat, tied and masked logits of up to 50k tokens", () => {
    const rng = createRng(5);
    const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    for (let trial = 0; trial < 60; trial++) {
      const n = trial < 6 ? 50_257 : 2 + Math.floor(rng.next() * 3000);
      const kind = trial % 5;
      const l = Float32Array.from({ length: n }, () => {
        if (kind === 0) return gauss() * 0.05; // nearly flat (random-weight models)
        if (kind === 1) return gauss() * 4; // peaked (trained models)
        if (kind === 2) return Math.ceil(rng.next() * 4); // many exact ties
        if (kind === 3) return rng.next() < 0.3 ? Number.NEGATIVE_INFINITY : gauss() * 2; // banned tokens
        return gauss() * 12; // extreme: most tokens far below the cutoff
      });
      const t = [0.5, 0.8, 1, 1.7][trial % 4] as number;
      const p = 0.05 + rng.next() * 0.94;
      const sampler = new Sampler(n);
      const want = bruteForce(l, t, p);
      const got = [...sampler.support(l, { temperature: t, topK: 0, topP: p, minP: 0 })];
      if (kind === 2) {
        // With ties the nucleus is the same size and the same weights; which of equal tokens fill it may differ.
        expect(got.length, `trial ${trial}`).toBe(want.length);
        expect(got.map((id) => l[id]).sort()).toEqual(want.map((id) => l[id]).sort());
      } else {
        expect(
          got.sort((a, b) => a - b),
          `trial ${trial}: n ${n}, t ${t}, p ${p}`,
        ).toEqual(want.sort((a, b) => a - b));
      }
    }
  });

  it("temperature sampling without top-p can draw every token with a weight above the cutoff", () => {
    const l = Float32Array.from({ length: 1000 }, (_, i) => -i * 0.05); // the last is 50 below the first
    const support = new Sampler(1000).support(l, { temperature: 1, topK: 0, topP: 1, minP: 0 });
    expect(support.length).toBe(601); // scaled logits down to -30
  });
});
