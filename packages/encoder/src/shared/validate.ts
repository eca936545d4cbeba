import { InputError } from "@proj/core";

/**
 * Texts checked and normalised to a list, with whether the caller passed one text or many.
 *
 * @example
 * const batch: TextBatch = checkTexts("hello", "classify"); // { texts: ["hello"], single: true }
 * @internal
 */
export interface TextBatch {
  texts: string[];
  single: boolean;
}

/**
 * Checks a task's text input: one string or a non-empty array of strings, none empty or only whitespace.
 *
 * @example
 * checkTexts(["a", "b"], "ner"); // { texts: ["a", "b"], single: false }
 * @internal
 */
export function checkTexts(input: unknown, fn: string): TextBatch {
  if (typeof input === "string") {
    checkText(input, "text", fn);
    return { texts: [input], single: true };
  }
  if (Array.isArray(input)) {
    if (input.length === 0) {
      throw new InputError(`${fn}() was given an empty array of texts`, { hint: "pass at least one text, or a single string" });
    }
    for (const [i, t] of input.entries()) checkText(t, `texts[${i}]`, fn);
    return { texts: input as string[], single: false };
  }
  throw new InputError(`${fn}() expects a string or an array of strings, got ${describe(input)}`, { hint: "pass the text to analyse" });
}

/**
 * Checks one text: a string with at least one non-whitespace character.
 *
 * @example
 * checkText("  ", "text", "classify"); // throws InputError
 * @internal
 */
export function checkText(value: unknown, name: string, fn: string): asserts value is string {
  if (typeof value !== "string") {
    throw new InputError(`${fn}() expects ${name} to be a string, got ${describe(value)}`, { hint: "pass plain text" });
  }
  if (value.trim() === "") {
    throw new InputError(`${fn}() was given ${value === "" ? "an empty string" : "a text of only whitespace"} as ${name}`, {
      hint: "pass text with at least one word; there is nothing to analyse in an empty text",
    });
  }
}

/**
 * Checks an integer option against a range.
 *
 * @example
 * checkInteger(15, "maxAnswerLength", 1); // 15
 * @internal
 */
export function checkInteger(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER, hint?: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new InputError(`${name} must be ${range}, got ${typeof value === "number" ? value : describe(value)}`, hint ? { hint } : {});
  }
  return value;
}

/**
 * Checks a `topK` option: a positive integer, or `null` (all) when allowed.
 *
 * @example
 * checkTopK(undefined, 1, true); // 1
 * @internal
 */
export function checkTopK(value: unknown, fallback: number, allowNull: boolean): number | null {
  if (value === undefined) return fallback;
  if (value === null && allowNull) return null;
  return checkInteger(
    value,
    "topK",
    1,
    Number.MAX_SAFE_INTEGER,
    allowNull ? "pass a positive integer, or null for every label" : "pass a positive integer",
  );
}

/**
 * Checks that an option is one of a set of strings.
 *
 * @example
 * checkChoice("window", "truncation", ["truncate", "window"], "truncate"); // "window"
 * @internal
 */
export function checkChoice<T extends string>(value: unknown, name: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(
    `${name} must be one of ${choices.map((c) => `"${c}"`).join(", ")}, got ${typeof value === "string" ? `"${value}"` : describe(value)}`,
  );
}

/**
 * Describes a value's type for messages.
 *
 * @example
 * describe(42); // "a number"
 * @internal
 */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
