import { InputError } from "@proj/core";

/**
 * Checks an options argument: an object (omitted fields take their defaults), not `null`, an array or a
 * primitive, and an `onToken` that is a function when given.
 *
 * @example
 * checkOptions(null, "generate"); // throws InputError
 * @internal
 */
export function checkOptions(options: unknown, fn: string): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const got = options === null ? "null" : Array.isArray(options) ? "an array" : typeof options;
    throw new InputError(`${fn}() expects its options to be an object, got ${got}`, { hint: "pass { ... }, or omit the options" });
  }
  const { onToken } = options as { onToken?: unknown };
  if (onToken !== undefined && typeof onToken !== "function") {
    throw new InputError(`onToken must be a function, got ${onToken === null ? "null" : typeof onToken}`, {
      hint: "pass (event) => { ... }, or omit it",
    });
  }
}
