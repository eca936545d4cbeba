import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Names of the committed fixture models. */
export type FixtureName =
  | "bert-seq-cls"
  | "bert-token-cls"
  | "bert-qa"
  | "bert-mlm"
  | "bert-embed"
  | "bert-cross-encoder"
  | "bert-nli"
  | "gpt2"
  | "llama"
  | "qwen2-tools"
  | "bart"
  | "t5";

/** Every fixture, for tests that walk all of them. */
export const FIXTURES: readonly FixtureName[] = [
  "bert-seq-cls",
  "bert-token-cls",
  "bert-qa",
  "bert-mlm",
  "bert-embed",
  "bert-cross-encoder",
  "bert-nli",
  "gpt2",
  "llama",
  "qwen2-tools",
  "bart",
  "t5",
];

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Absolute path of the folder holding the fixture models. */
export const fixturesDir = join(packageRoot, "fixtures");

/**
 * Absolute path of one fixture model folder (Optimum layout).
 *
 * @example
 * const dir = fixture("bert-seq-cls");
 */
export function fixture(name: FixtureName): string {
  return join(fixturesDir, name);
}

/**
 * The shared data folder (`../shared/data` beside the repository, or `$PROJ_SHARED_DIR/data`),
 * or `undefined` in a user's fresh clone that does not have it.
 *
 * @example
 * const data = sharedDataDir();
 * if (!data) console.warn("skipping: ../shared is absent");
 */
export function sharedDataDir(): string | undefined {
  const candidates = [
    process.env.PROJ_SHARED_DIR ? join(process.env.PROJ_SHARED_DIR, "data") : undefined,
    resolve(packageRoot, "..", "..", "..", "shared", "data"),
  ];
  return candidates.find((dir): dir is string => dir !== undefined && existsSync(dir));
}

/** The message tests print when they skip for want of `../shared`. */
export const SHARED_MISSING =
  "../shared/data is absent (a fresh clone without the shared data folder): tests that need real data are skipped; CI has it";
