import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  external: ["@proj/core", "@proj/decoder", "@proj/encoder", "@proj/seq2seq", "fastify", "prom-client"],
});
