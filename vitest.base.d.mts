import type { UserConfig } from "vitest/config";

/** Vitest settings of a package: its tests, timeouts, forked workers, and its type tests when `typeTests` is true. */
export declare function packageTestConfig(options?: { typeTests?: boolean }): UserConfig;
