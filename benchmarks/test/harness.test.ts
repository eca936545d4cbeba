import { describe, expect, it } from "vitest";
import { measureCase } from "../lib/harness.mjs";
import { percentile, quantile, summarize } from "../lib/stats.mjs";
import { barChart } from "../lib/svg.mjs";
import { maxAbsDiff, vectorsAgree } from "../lib/vectors.mjs";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the harness", () => {
  it("runs contenders interleaved A B C A B C after one warm-up each", async () => {
    const calls: string[] = [];
    const contender = (id: string) => ({
      id,
      warmup: async () => calls.push(`${id}:warmup`),
      run: async () => {
        calls.push(id);
        return { units: 1 };
      },
    });
    await measureCase({
      name: "order",
      unit: "texts",
      contenders: ["proj", "transformers.js", "floor"].map(contender),
      warmup: 1,
      reps: 2,
    });
    expect(calls).toEqual([
      "proj:warmup",
      "transformers.js:warmup",
      "floor:warmup",
      "proj",
      "transformers.js",
      "floor",
      "proj",
      "transformers.js",
      "floor",
    ]);
  });

  it("computes speed ratios per round: a contender twice as slow gives proj ÷ it = 2 for throughput and latency", async () => {
    const result = await measureCase({
      name: "ratios",
      unit: "tokens",
      contenders: [
        {
          id: "proj",
          run: async () => {
            await sleep(20);
            return { units: 10, ttftMs: 5 };
          },
        },
        {
          id: "floor",
          run: async () => {
            await sleep(40);
            return { units: 10, ttftMs: 10 };
          },
        },
      ],
      warmup: 0,
      reps: 3,
    });
    const ratios = result.ratios["proj/floor"];
    expect(ratios.throughput.median).toBeGreaterThan(1.5);
    expect(ratios.throughput.median).toBeLessThan(2.5);
    expect(ratios.ttftMs.median).toBeCloseTo(2, 5);
    expect(result.vsFloor.floor.median).toBeCloseTo(1, 5);
    expect(result.contenders.proj.throughput.n).toBe(3);
  });

  it("flags contenders whose outputs differ", async () => {
    const result = await measureCase({
      name: "check",
      unit: "texts",
      contenders: [
        { id: "proj", run: async () => ({ units: 1, check: [1, 2] }) },
        { id: "floor", run: async () => ({ units: 1, check: [1, 3] }) },
      ],
      warmup: 0,
      reps: 1,
    });
    expect(result.consistent.same).toBe(false);
  });

  it("checks every round with an agree function: one round's vectors off by more than the tolerance flags the case", async () => {
    let round = 0;
    const result = await measureCase({
      name: "vectors",
      unit: "texts",
      contenders: [
        { id: "proj", run: async () => ({ units: 1, check: [new Float32Array([0.6, 0.8])] }) },
        { id: "floor", run: async () => ({ units: 1, check: [new Float32Array([0.6, round++ === 1 ? 0.81 : 0.80005])] }) },
      ],
      warmup: 0,
      reps: 3,
      agree: vectorsAgree(1e-4),
    });
    expect(result.consistent).toMatchObject({ same: false, rounds: 3, round: 2 });
    expect(result.consistent.values["max |floor − proj|"]).toBeCloseTo(0.01, 6);
    const close = vectorsAgree(1e-4)({ proj: [[0.6, 0.8]], floor: [[0.6, 0.80005]] });
    expect(close.same).toBe(true);
    expect(maxAbsDiff([[1, 2]], [[1]])).toBe(Number.POSITIVE_INFINITY);
    expect(maxAbsDiff([[1, Number.NaN]], [[1, 2]])).toBe(Number.POSITIVE_INFINITY);
  });

  it("summarizes with medians and interpolated quantiles, percentiles by nearest rank", () => {
    expect(summarize([3, 1, 2, 100])).toMatchObject({ n: 4, median: 2.5, min: 1, max: 100 });
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
  });

  it("draws a well-formed SVG with one bar per value and escaped labels", () => {
    const svg = barChart({
      title: "a <b> & c",
      axis: "x",
      series: ["proj", "floor"],
      reference: 1,
      groups: [
        {
          label: "case 1",
          bars: [
            { series: "proj", value: 0.5, lo: 0.4, hi: 0.6 },
            { series: "floor", value: 1 },
          ],
        },
      ],
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg.split("\n")[1]).toBe("<title>a &lt;b&gt; &amp; c</title>"); // the accessible name, first child of <svg>
    expect(svg).toContain("a &lt;b&gt; &amp; c");
    expect(svg.match(/<rect x="\d/g)?.length).toBe(2 + 2); // two legend swatches, two bars
  });
});
