import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

describe("the built package works from both import and require", () => {
  it("ESM import and CommonJS require expose the same API", async () => {
    const esm = await import("@proj/core");
    const cjs = createRequire(import.meta.url)("@proj/core") as typeof esm;
    for (const name of ["loadModel", "Tokenizer", "runEngine", "ContinuousBatcher", "ProjError", "hubSource"] as const) {
      expect(typeof esm[name]).toBe("function");
      expect(typeof cjs[name]).toBe("function");
    }
    expect(new cjs.InputError("x").code).toBe("INPUT");
  });
});
