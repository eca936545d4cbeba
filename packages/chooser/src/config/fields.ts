import type { RawModelConfig } from "../tasks/types.js";

/**
 * The first of `keys` whose value in a config object is a finite number.
 *
 * @example
 * numberField({ n_embd: 768 }, "hidden_size", "n_embd"); // 768
 */
export function numberField(raw: RawModelConfig, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return undefined;
}

/**
 * The first of `keys` whose value in a config object is a string.
 *
 * @example
 * stringField({ model_type: "bert" }, "model_type"); // "bert"
 */
export function stringField(raw: RawModelConfig, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === "string") return value;
  }
  return undefined;
}

/**
 * The first of `keys` whose value in a config object is a boolean.
 *
 * @example
 * booleanField({ is_encoder_decoder: true }, "is_encoder_decoder"); // true
 */
export function booleanField(raw: RawModelConfig, ...keys: string[]): boolean | undefined {
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === "boolean") return value;
  }
  return undefined;
}

/**
 * The value of `key` in a config object when it is a plain object (not an array, not null).
 *
 * @example
 * objectField({ id2label: { 0: "NEG" } }, "id2label"); // { 0: "NEG" }
 */
export function objectField(raw: RawModelConfig, key: string): Record<string, unknown> | undefined {
  const value = raw[key];
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
