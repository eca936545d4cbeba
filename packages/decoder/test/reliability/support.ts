import { ProjError } from "@proj/core";
import { expect } from "vitest";

/** The outcome of a call: its value, or the typed error it threw (anything else fails the test). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ProjError };

/**
 * Settles a call within `ms` milliseconds: a hang fails the test, and so does an error that is not a
 * {@link ProjError}.
 */
export async function settle<T>(work: () => Promise<T>, ms = 30_000, what = "the call"): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return { ok: true, value: await Promise.race([work(), timeout]) };
  } catch (error) {
    expect(error, `${what} threw ${String(error)}`).toBeInstanceOf(ProjError);
    return { ok: false, error: error as ProjError };
  } finally {
    clearTimeout(timer);
  }
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Why `[start, end)` is not a well-formed span of `text` (outside it, backwards, or cutting a surrogate pair), or `undefined`. */
export function spanProblem(text: string, start: number, end: number): string | undefined {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
    return `[${start}, ${end}) is not inside a text of length ${text.length}`;
  }
  for (const at of [start, end]) {
    if (at > 0 && at < text.length && isHigh(text.charCodeAt(at - 1)) && isLow(text.charCodeAt(at))) return `${at} cuts a surrogate pair`;
  }
  return undefined;
}

/** A probability: finite and in [0, 1] (with float slack). */
export function isProbability(x: unknown): boolean {
  return typeof x === "number" && Number.isFinite(x) && x >= 0 && x <= 1 + 1e-9;
}

/** Resident memory in MiB. */
export const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;
