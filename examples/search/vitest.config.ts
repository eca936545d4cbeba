import { mergeConfig } from "vitest/config";
import { packageTestConfig } from "../../vitest.base.mjs";

// Indexing 2,467 captions and scoring 252 queries several ways takes about a minute on a quiet 2-core machine and
// several on a busy one: the hang guards are wider than the packages' 240 s.
export default mergeConfig(packageTestConfig(), { test: { hookTimeout: 900_000, testTimeout: 900_000 } });
