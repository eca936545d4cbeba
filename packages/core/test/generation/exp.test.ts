import { describe, expect, it } from "vitest";
import { expNonPositive } from "../../src/generation/math/exp.js";

describe("expNonPositive", () => {
  it("matches Math.exp to 1e-8 relative over [-87, 0]", () => {
    let worst = 0;
    for (let x = 0; x >= -87; x -= 0.00731) worst = Math.max(worst, Math.abs(expNonPositive(x) / Math.exp(x) - 1));
    for (const x of [0, -0, -0.5, -1, -Math.LN2, -10.5, -86.99]) worst = Math.max(worst, Math.abs(expNonPositive(x) / Math.exp(x) - 1));
    expect(worst).toBeLessThan(1e-8);
    expect(expNonPositive(0)).toBe(1);
  });

  it("is 0 below -87, for -Infinity and for NaN (a term that cannot count next to the best token's 1)", () => {
    for (const x of [-87.5, -745, -1e9, Number.NEGATIVE_INFINITY, Number.NaN]) expect(expNonPositive(x)).toBe(0);
  });
});
