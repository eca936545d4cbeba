import { loadModel, type Tokenizer } from "@proj/core";
import { type FixtureName, fixture, loadOracle } from "@proj/testing";
import { expect } from "vitest";

/** The tokenizer of a fixture, without opening its graph. */
export async function fixtureTokenizer(name: FixtureName): Promise<Tokenizer> {
  return (await loadModel(fixture(name), { graphs: [] })).tokenizer;
}

/** The id of a token that must be one vocabulary entry. */
export function tokenId(tokenizer: Tokenizer, token: string): number {
  const id = tokenizer.tokenToId(token);
  expect(id, `"${token}" is a token of the vocabulary`).toBeTypeOf("number");
  return id as number;
}

/** A transformers.js pipeline called loosely: the tests cast its answers to the shapes they compare. */
export type OracleCall = (...args: unknown[]) => Promise<unknown>;

/** A transformers.js pipeline on a fixture's files (fp32, the same ONNX file @proj/encoder opens). */
export async function oraclePipeline(
  task: "text-classification" | "token-classification" | "question-answering" | "fill-mask",
  name: FixtureName,
): Promise<OracleCall> {
  const oracle = await loadOracle();
  const pipe = await oracle.pipeline(task, fixture(name), { dtype: "fp32" });
  return (...args: unknown[]) => (pipe as unknown as OracleCall)(...args);
}

/** Scores by label, for comparisons that do not depend on order among near-equal scores. */
export function byLabel(results: ReadonlyArray<{ label: string; score: number }>): Record<string, number> {
  return Object.fromEntries(results.map((r) => [r.label, r.score]));
}

/** Asserts two score maps have the same keys and scores within `tolerance`. */
export function expectScoresClose(got: Record<string, number>, want: Record<string, number>, tolerance = 1e-4): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [key, value] of Object.entries(want)) expect(Math.abs((got[key] as number) - value), key).toBeLessThan(tolerance);
}

/** Sentences of many lengths (1 to ~60 words), deterministic. */
export function mixedLengthSentences(count: number): string[] {
  const words =
    "the film was surprisingly good and the actors gave a warm funny honest performance but the plot dragged on far too long".split(" ");
  return Array.from({ length: count }, (_, i) => {
    const n = 1 + ((i * 37) % 60);
    return Array.from({ length: n }, (_, j) => words[(i + j * 7) % words.length]).join(" ") + (i % 3 === 0 ? "!" : ".");
  });
}
