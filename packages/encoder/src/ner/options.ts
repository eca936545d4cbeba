import { InputError } from "@proj/core";

/**
 * Checks `ignoreLabels`: an array of strings (default `["O"]`).
 *
 * @example
 * checkIgnoreLabels(undefined); // ["O"]
 * @internal
 */
export function checkIgnoreLabels(value: unknown): readonly string[] {
  if (value === undefined) return ["O"];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
  throw new InputError("ignoreLabels must be an array of label names", { hint: 'pass e.g. ["O"], or [] to keep every token' });
}
