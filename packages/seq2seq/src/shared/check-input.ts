import { InputError } from "@proj/core";

/**
 * Checks the text argument of a task function: a non-empty string, or a non-empty array of them.
 *
 * @internal
 */
export function checkTexts(input: unknown, fn: string): string[] {
  const texts = Array.isArray(input) ? (input as unknown[]) : [input];
  if (Array.isArray(input) && input.length === 0) {
    throw new InputError(`${fn}() was given an empty array`, { hint: "pass a string or a non-empty array of strings" });
  }
  texts.forEach((text, i) => {
    const where = Array.isArray(input) ? `texts[${i}]` : "the text";
    if (typeof text !== "string")
      throw new InputError(`${fn}() expects ${where} to be a string, got ${describe(text)}`, { hint: "pass plain text" });
    if (text.trim() === "")
      throw new InputError(`${fn}() was given an empty text (${where})`, { hint: "pass text with at least one word" });
  });
  return texts as string[];
}

/**
 * Checks the `batchSize` option.
 *
 * @internal
 */
export function checkBatchSize(value: number | undefined): number {
  if (value === undefined) return 8;
  if (!Number.isInteger(value) || value < 1)
    throw new InputError(`batchSize must be a positive integer, got ${String(value)}`, { hint: "pass e.g. { batchSize: 8 }, or omit it" });
  return value;
}

/**
 * Names a value's type for messages.
 *
 * @internal
 */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
