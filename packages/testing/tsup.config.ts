import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  shims: true,
  target: "node20",
  external: ["@huggingface/transformers", "onnxruntime-node", "fast-check"],
});
