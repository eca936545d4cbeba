import { defineConfig } from "vitest/config";

// Run with: npx vitest run --config benchmarks/vitest.config.mjs
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
    // One file at a time: the quick run and the load test each want the machine to themselves.
    fileParallelism: false,
  },
});
