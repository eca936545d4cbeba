// The test settings every @proj package shares; a package's vitest.config.ts calls packageTestConfig(). Plain
// JavaScript with its types beside it (vitest.base.d.mts), like tsup.base.mjs.
import { defineConfig } from "vitest/config";

/**
 * Vitest settings of a package: `test/**\/*.test.ts`, generous timeouts (they guard against hangs, they are not
 * speed limits: the 1 MB and 10,000-text reliability tests take a minute on a 2-core machine that is busy elsewhere),
 * forked workers (ONNX Runtime's native memory per process), and the type tests (`test/**\/*.test-d.ts`, run by
 * `vitest run --typecheck`) when the package has them.
 */
export function packageTestConfig({ typeTests = false } = {}) {
  return defineConfig({
    test: {
      include: ["test/**/*.test.ts"],
      testTimeout: 240_000,
      hookTimeout: 240_000,
      pool: "forks",
      ...(typeTests ? { typecheck: { include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" } } : {}),
    },
  });
}
