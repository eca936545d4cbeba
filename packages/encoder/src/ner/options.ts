import { InputError } from "@proj/core";
import { checkChoice } from "../shared/validate.js";
import type { NerCallOptions, NerDecoding, TagScheme } from "./types.js";

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

/**
 * The label decodings, for option checks.
 *
 * @example
 * checkChoice(options.decoding, "decoding", DECODINGS, "argmax");
 * @internal
 */
export const DECODINGS: readonly NerDecoding[] = ["argmax", "constrained"];

/**
 * The tag schemes, for option checks.
 *
 * @example
 * checkChoice(options.tagScheme, "tagScheme", TAG_SCHEMES, "auto");
 * @internal
 */
export const TAG_SCHEMES: readonly TagScheme[] = ["auto", "BIO", "IOB1", "BIOES"];

/**
 * Checks `decoding` (default `"argmax"`) and `tagScheme` (default `"auto"`, and only with `"constrained"`: with
 * `"argmax"` no scheme is enforced, so one given there is a mistake).
 *
 * @example
 * checkDecoding({ decoding: "constrained" }); // { decoding: "constrained", tagScheme: "auto" }
 * @internal
 */
export function checkDecoding(options: Pick<NerCallOptions, "decoding" | "tagScheme">): {
  decoding: NerDecoding;
  tagScheme: TagScheme;
} {
  const decoding = checkChoice(options.decoding, "decoding", DECODINGS, "argmax");
  const tagScheme = checkChoice(options.tagScheme, "tagScheme", TAG_SCHEMES, "auto");
  if (options.tagScheme !== undefined && decoding !== "constrained") {
    throw new InputError(`tagScheme applies only with decoding: "constrained", got decoding "${decoding}"`, {
      hint: 'add decoding: "constrained", or drop tagScheme',
    });
  }
  return { decoding, tagScheme };
}
