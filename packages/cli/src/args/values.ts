import { UsageError } from "../errors.js";
import type { ParsedArgs } from "./flags.js";

/**
 * A string flag's value (the last one when repeated).
 *
 * @example
 * const model = stringFlag(args, "model");
 */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === "string" ? last : undefined;
}

/**
 * A repeatable string flag's values, also split on commas (`--targets a,b --targets c` is `["a", "b", "c"]`).
 *
 * @example
 * const languages = listFlag(args, "languages");
 */
export function listFlag(args: ParsedArgs, name: string, split = true): string[] | undefined {
  const value = args.values[name];
  if (value === undefined) return undefined;
  const all = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
  return split
    ? all
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter((v) => v !== "")
    : all;
}

/**
 * A boolean flag: true when given.
 *
 * @example
 * if (booleanFlag(args, "json")) printJson(result);
 */
export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/**
 * A numeric flag, checked: integer or not, and its range. A bad value is a {@link UsageError}.
 *
 * @example
 * const topK = numberFlag(args, "top-k", "classify", { integer: true, min: 1 });
 */
export function numberFlag(
  args: ParsedArgs,
  name: string,
  command: string,
  range: { integer?: boolean; min?: number; max?: number; exclusiveMin?: boolean } = {},
): number | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const kind = range.integer ? "an integer" : "a number";
  const bounds =
    range.min !== undefined && range.max !== undefined
      ? ` from ${range.min} to ${range.max}`
      : range.min !== undefined
        ? range.exclusiveMin
          ? ` above ${range.min}`
          : ` of at least ${range.min}`
        : "";
  const ok =
    raw.trim() !== "" &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || (range.exclusiveMin ? value > range.min : value >= range.min)) &&
    (range.max === undefined || value <= range.max);
  if (!ok) throw new UsageError(`--${name} must be ${kind}${bounds}, got ${JSON.stringify(raw)}`, command);
  return value;
}

/**
 * A flag restricted to a few words; anything else is a {@link UsageError} listing them.
 *
 * @example
 * const aggregation = choiceFlag(args, "aggregation", "ner", ["none", "simple", "first", "average", "max"]);
 */
export function choiceFlag<C extends string>(args: ParsedArgs, name: string, command: string, choices: readonly C[]): C | undefined {
  const raw = stringFlag(args, name);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw))
    throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got ${JSON.stringify(raw)}`, command);
  return raw as C;
}
