import { describe, expect, it } from "vitest";
import { Tensor } from "../../src/index.js";
import { concatRows, cutAtStop, gatherRows, StopStringMatcher } from "../../src/internal.js";

describe("stop strings", () => {
  it("holds back a possible prefix, then stops at the full string across deltas", () => {
    const m = new StopStringMatcher(["User:", "\n\n"]);
    expect(m.push("Hello Us")).toEqual({ emit: "Hello ", stopped: false });
    expect(m.push("e")).toEqual({ emit: "", stopped: false });
    expect(m.push("r: hi")).toEqual({ emit: "", stopped: true });
    expect(m.push("more")).toEqual({ emit: "", stopped: true });
  });

  it("releases held text when it turns out not to be a stop string, and at the end", () => {
    const m = new StopStringMatcher(["User:"]);
    expect(m.push("Use")).toEqual({ emit: "", stopped: false });
    expect(m.push("ful")).toEqual({ emit: "Useful", stopped: false });
    expect(m.push(" U")).toEqual({ emit: " ", stopped: false });
    expect(m.flush()).toBe("U");
  });

  it("cuts at the earliest of several stop strings", () => {
    const m = new StopStringMatcher(["b", "\n"]);
    expect(m.push("a\nab")).toEqual({ emit: "a", stopped: true });
    expect(cutAtStop("one. two", [" two", "."])).toEqual({ text: "one", stopped: true });
    expect(cutAtStop("one", ["x"])).toEqual({ text: "one", stopped: false });
  });
});

describe("cache rows", () => {
  // [rows=2, heads=1, len=2, dim=2]
  const t = new Tensor("float32", Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [2, 1, 2, 2]);

  it("gather reorders, drops and repeats rows", () => {
    const g = gatherRows(t, [1, 1, 0]);
    expect(g.dims).toEqual([3, 1, 2, 2]);
    expect([...(g.data as Float32Array)]).toEqual([5, 6, 7, 8, 5, 6, 7, 8, 1, 2, 3, 4]);
  });

  it("concat pads the shorter past on the left (self-attention) or the right (encoder)", () => {
    const short = new Tensor("float32", Float32Array.from([9, 9]), [1, 1, 1, 2]);
    const left = concatRows([t, short], 2, "left");
    expect(left.dims).toEqual([3, 1, 2, 2]);
    expect([...(left.data as Float32Array)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 9, 9]);
    const right = concatRows([short, t], 2, "right");
    expect([...(right.data as Float32Array)]).toEqual([9, 9, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe("float16 logits", () => {
  it("decode exactly for normal, subnormal, zero and infinite values", async () => {
    const { float16ToFloat32 } = await import("../../src/internal.js");
    const out = float16ToFloat32(Uint16Array.of(0x3c00, 0xc000, 0x3555, 0x0001, 0x0000, 0x7c00, 0xfc00, 0x7bff));
    expect([...out]).toEqual([1, -2, 0.333251953125, 2 ** -24, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 65504]);
  });
});
