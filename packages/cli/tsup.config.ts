import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.mjs";

export default defineConfig(
  packageConfig({
    // `cli.ts` is the `proj` binary (dist/cli.js, shebang kept); `index.ts` is the programmatic entry.
    entry: ["src/index.ts", "src/cli.ts"],
    // import.meta.url (finding the repository's benchmarks) also works in the CJS build.
    shims: true,
    external: [/^@proj\//],
  }),
);
