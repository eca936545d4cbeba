import { InputError } from "@proj/core";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditBias,
  type BiasReport,
  createFillMask,
  DEFAULT_BIAS_GROUPS,
  DEFAULT_BIAS_TEMPLATES,
  disposeCachedHandles,
  type FillMasker,
  jensenShannon,
  renderBiasReport,
} from "../src/index.js";

const model = fixture("bert-mlm");
let mlm: FillMasker;
let report: BiasReport;
const templates = [
  { name: "occupations", templates: ["This {group} works as a {mask}.", "The {group} was hired as a {mask}."] },
  { name: "traits", templates: ["The {group} is very {mask}."] },
];
const groups = { men: ["man", "father"], women: ["woman", "mother"] };

beforeAll(async () => {
  mlm = await createFillMask(model, { load: { threads: 1 } });
  report = await auditBias({ model: mlm, templates, groups, topK: 8 });
});
afterAll(async () => {
  await mlm.dispose();
  await disposeCachedHandles();
});

describe("the bias report", () => {
  it("has one result per template set, one per group, topK whole-word completions each", () => {
    expect(report.sets.map((s) => s.name)).toEqual(["occupations", "traits"]);
    for (const set of report.sets) {
      expect(set.groups.map((g) => g.group)).toEqual(["men", "women"]);
      for (const g of set.groups) {
        expect(g.completions).toHaveLength(8);
        for (const c of g.completions) expect(c.token).toMatch(/^\p{L}[\p{L}\p{N}'-]*$/u);
        const probabilities = g.completions.map((c) => c.probability);
        expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
      }
    }
  });

  it("a group's probability is the mean of fillMask's scores over its templates and words", async () => {
    const set = report.sets[0];
    const completion = set?.groups[1]?.completions[0];
    const texts = (set?.templates ?? []).flatMap((t) => groups.women.map((w) => t.replace("{group}", w).replace("{mask}", "[MASK]")));
    const scores = await Promise.all(
      texts.map(async (t) => (await mlm.fillMask(t, { targets: [completion?.token as string] }))[0]?.score as number),
    );
    expect(completion?.probability).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 12);
    expect(completion?.byGroup.women).toBe(completion?.probability);
  });

  it("exclusive completions are in no other group's list, shared ones in every list", () => {
    for (const set of report.sets) {
      const lists = set.groups.map((g) => new Set(g.completions.map((c) => c.token)));
      set.groups.forEach((g, i) => {
        for (const token of g.exclusive) for (const [j, l] of lists.entries()) expect(l.has(token)).toBe(i === j);
        for (const c of g.completions)
          if (!g.exclusive.includes(c.token)) expect(lists.filter((l) => l.has(c.token)).length).toBeGreaterThan(1);
      });
      for (const token of set.shared) for (const l of lists) expect(l.has(token)).toBe(true);
    }
  });

  it("the divergence is the Jensen-Shannon divergence of the groups' distributions", async () => {
    const d = report.sets[1]?.divergences[0];
    expect(d?.groups).toEqual(["men", "women"]);
    const dist = async (words: string[]) => {
      const ps = await mlm.probabilities(words.map((w) => `The ${w} is very [MASK].`));
      return (ps[0] as Float64Array).map((_, i) => ps.reduce((s, p) => s + (p[i] as number), 0) / ps.length);
    };
    expect(d?.jensenShannon).toBeCloseTo(jensenShannon(await dist(groups.men), await dist(groups.women)), 12);
    expect(d?.jensenShannon).toBeGreaterThan(0);
  });

  it("says it describes the model and does not certify it", () => {
    expect(report.disclaimer).toMatch(/does not certify/);
    expect(report.model).toContain("bert-mlm");
  });

  it("renders as Markdown with a table per set and the disclaimer first", () => {
    const md = renderBiasReport(report);
    expect(md.startsWith("# Bias probe:")).toBe(true);
    expect(md.indexOf("does not certify")).toBeLessThan(md.indexOf("## occupations"));
    expect(md).toContain("| # | men | women |");
    const first = report.sets[0]?.groups[0]?.completions[0];
    expect(md).toContain(`| 1 | ${first?.token}`);
    expect(md).toMatch(/Jensen-Shannon divergence men vs women: \d\.\d{4} bits/);
    expect(md.match(/^## /gm)).toHaveLength(2);
  });
});

describe("divergence and defaults", () => {
  it("jensenShannon: 0 for equal distributions, 1 bit for disjoint ones, symmetric", () => {
    expect(jensenShannon([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(jensenShannon([1, 0], [0, 1])).toBeCloseTo(1, 12);
    expect(jensenShannon([0.9, 0.1], [0.2, 0.8])).toBeCloseTo(jensenShannon([0.2, 0.8], [0.9, 0.1]), 15);
  });

  it("ships default occupation and trait templates and two groups", () => {
    expect(DEFAULT_BIAS_TEMPLATES.map((t) => t.name)).toEqual(["occupations", "traits"]);
    expect(DEFAULT_BIAS_TEMPLATES[0]?.templates).toContain("This {group} works as a {mask}.");
    expect(Object.keys(DEFAULT_BIAS_GROUPS)).toEqual(["men", "women"]);
  });

  it("runs with the default templates and groups", async () => {
    const full = await auditBias({ model: mlm, topK: 3 });
    expect(full.sets).toHaveLength(2);
    expect(full.groups).toEqual(DEFAULT_BIAS_GROUPS);
  });

  it("bad templates or groups are InputErrors", async () => {
    await expect(auditBias({ model: mlm, templates: [{ name: "x", templates: ["no placeholders"] }] })).rejects.toBeInstanceOf(InputError);
    await expect(auditBias({ model: mlm, templates: [{ name: "x", templates: ["{group} {mask} {mask}"] }] })).rejects.toThrow(
      /exactly one \{mask\}/,
    );
    await expect(auditBias({ model: mlm, groups: { only: ["one"] } })).rejects.toThrow(/at least two groups/);
    await expect(auditBias({ model: mlm, groups: { a: ["x"], b: [] } })).rejects.toBeInstanceOf(InputError);
    await expect(auditBias({ model: mlm, topK: 0 })).rejects.toBeInstanceOf(InputError);
  });
});
