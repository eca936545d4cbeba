import { defineConfig } from "tsup";

export default defineConfig({
  // `cli.ts` is the `proj` binary (dist/cli.js, shebang kept); `index.ts` is the programmatic entry.
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  // import.meta.url (finding the repository's benchmarks) also works in the CJS build.
  shims: true,
  target: "node20",
  external: [/^@proj\//],
});
