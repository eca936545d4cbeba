import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.mjs";

export default defineConfig(
  packageConfig({
    entry: ["src/index.ts", "src/internal.ts"],
    // One copy of each module for both entries, in the CommonJS build too (errors, the session pool, handle caches).
    splitting: true,
    // import.meta.url (finding onnxruntime-node's CUDA files) also works in the CJS build.
    shims: true,
    external: ["onnxruntime-node", "tokenizers"],
  }),
);
