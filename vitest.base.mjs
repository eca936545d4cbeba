// The test settings every @proj package shares; a package's vitest.config.ts calls packageTestConfig(). Plain
// JavaScript with its types beside it (vitest.base.d.mts), like tsup.base.mjs.
import { defineConfig } from "vitest/config";

/**
 * Vitest settings of a package: `test/**\/*.test.ts`, generous timeouts (model loads on a loaded 2-core machine),
 * forked workers (ONNX Runtime's native memory per process), and the type tests (`test/**\/*.test-d.ts`, run by
 * `vitest run --typecheck`) when the package has them.
 */
export function packageTestConfig({ typeTests = false } = {}) {
  return defineConfig({
    test: {
      include: ["test/**/*.test.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: "forks",
      ...(typeTests ? { typecheck: { include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" } } : {}),
    },
  });
}
