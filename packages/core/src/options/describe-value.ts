/**
 * Names the type of a value for error messages: `"null"`, `"an array"`, `"a number"` ...
 *
 * @example
 * describeValue([1]); // "an array"
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" || type === "undefined" ? type : `a ${type}`;
}
