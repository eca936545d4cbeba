import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

describe("the built package works from both import and require", () => {
  it("ESM import and CommonJS require expose the same API, and the engine only at the internal subpath", async () => {
    const esm = await import("@proj/core");
    const cjs = require("@proj/core") as typeof esm;
    for (const name of ["loadModel", "Tokenizer", "ProjError", "hubSource", "disposeCachedHandles"] as const) {
      expect(typeof esm[name]).toBe("function");
      expect(typeof cjs[name]).toBe("function");
    }
    expect(new cjs.InputError("x").code).toBe("INPUT");
    const internalEsm = await import("@proj/core/internal");
    const internalCjs = require("@proj/core/internal") as typeof internalEsm;
    for (const name of ["runEngine", "ContinuousBatcher", "CausalRunner", "resolveTaskHandle", "checkOptions"] as const) {
      expect(typeof internalEsm[name]).toBe("function");
      expect(typeof internalCjs[name]).toBe("function");
      expect(name in esm).toBe(false);
    }
  });

  it("errors of one copy are recognised by the other with isInstance, where instanceof fails", async () => {
    const esm = await import("@proj/core");
    const cjs = require("@proj/core") as typeof esm;
    const fromCjs = new cjs.ModelNotFoundError("no such folder");
    expect(fromCjs instanceof esm.ModelNotFoundError).toBe(false); // two copies of the class
    expect(esm.ModelNotFoundError.isInstance(fromCjs)).toBe(true);
    expect(esm.ProjError.isInstance(fromCjs)).toBe(true);
    expect(esm.InputError.isInstance(fromCjs)).toBe(false);
    expect(cjs.OverloadedError.isInstance(new esm.OverloadedError("full"))).toBe(true);
    expect(esm.ProjError.isInstance(new Error("plain"))).toBe(false);
    expect(esm.ProjError.isInstance({ code: "INPUT" })).toBe(false);
    expect(esm.ProjError.isInstance(undefined)).toBe(false);
  });

  it("the copies share one session pool and one registry of handle caches", async () => {
    const esm = await import("@proj/core/internal");
    const cjs = require("@proj/core/internal") as typeof esm;
    const cache = cjs.taskHandleCache<{ dispose(): Promise<void> }>("package-exports-test");
    let disposed = 0;
    await cache.get("k", async () => ({ dispose: async () => void disposed++ }));
    await esm.disposeCachedHandles("package-exports-test"); // the ESM copy frees what the CommonJS copy cached
    expect(disposed).toBe(1);
    expect(cache.size).toBe(0);
    expect(esm.openSessionCount()).toBe(cjs.openSessionCount());
  });
});
