import { describe, expect, it } from "vitest";
import { argmax, CandidateBuffer, createRng, Sampler, topK } from "../../src/index.js";

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
