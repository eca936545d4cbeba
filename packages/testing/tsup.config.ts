import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.mjs";

export default defineConfig(
  packageConfig({
    entry: ["src/index.ts"],
    sourcemap: false,
    // import.meta.url (locating the fixtures) also works in the CJS build.
    shims: true,
    external: ["@huggingface/transformers", "onnxruntime-node", "fast-check"],
  }),
);
