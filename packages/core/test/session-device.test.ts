import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fixture } from "@proj/testing";
import { describe, expect, it } from "vitest";
import { InputError, loadModel, ModelFormatError, SessionError } from "../src/index.js";
import { checkLoadOptions } from "../src/internal.js";

// This repository's .npmrc skips onnxruntime-node's download of its CUDA files: the binding lists CUDA, but the
// provider's shared library is absent. That is every default install, and what these tests check.
const binding = dirname(createRequire(import.meta.url).resolve("onnxruntime-node"));
const cudaProvider = ["napi-v6", "napi-v3"].map((v) => join(binding, "..", "bin", v, "linux", "x64", "libonnxruntime_providers_cuda.so"));

describe("device on an install without CUDA's files", () => {
  it("is an install without the CUDA provider library (the precondition of these tests)", () => {
    expect(cudaProvider.some((file) => existsSync(file))).toBe(false);
  });

  it('"auto" falls back to the CPU and runs', async () => {
    const model = await loadModel(fixture("bert-seq-cls"), { device: "auto" });
    try {
      expect(model.session("model").provider).toBe("cpu");
    } finally {
      await model.dispose();
    }
  });

  it('"auto" on such an install prints nothing: ONNX Runtime is not asked to load the missing library', () => {
    const script = `import { loadModel } from "@proj/core";
const model = await loadModel(${JSON.stringify(fixture("bert-seq-cls"))}, { device: "auto" });
console.log(model.session("model").provider);
await model.dispose();`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("cpu");
    expect(run.stderr).not.toMatch(/Failed to load library|providers_shared/);
  });

  it('"cuda" says that CUDA cannot be loaded, not that the model file is corrupt', async () => {
    const failure = await loadModel(fixture("bert-seq-cls"), { device: "cuda" }).catch((error: unknown) => error);
    expect(SessionError.isInstance(failure)).toBe(true);
    expect(ModelFormatError.isInstance(failure)).toBe(false);
    expect((failure as Error).message).toMatch(/CUDA execution provider of onnxruntime-node cannot be loaded/);
    expect((failure as Error).message).toMatch(/device: "cpu"/);
  });

  it('"gpu" is refused by name, by loadModel too', async () => {
    expect(() => checkLoadOptions({ device: "gpu" } as never, "classify")).toThrow(InputError);
    await expect(loadModel(fixture("bert-seq-cls"), { device: "gpu" } as never)).rejects.toThrow(
      /device must be "cpu", "cuda" or "auto", got "gpu"/,
    );
    await expect(loadModel(fixture("bert-seq-cls"), { theads: 2 } as never)).rejects.toThrow(/did you mean "threads"/);
  });
});
