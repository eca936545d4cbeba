import { defineConfig } from "vitest/config";

// Run with: npx vitest run --config benchmarks/vitest.config.mjs
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
    // Hang guards, not speed limits: the quick run's spawn has its own 25-minute guard.
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    pool: "forks",
    // One file at a time: the quick run and the load test each want the machine to themselves.
    fileParallelism: false,
  },
});
