import type { RawModelConfig } from "../tasks/types.js";

/**
 * The first of `keys` whose value is a finite number.
 *
 * @internal
 */
export function num(raw: RawModelConfig, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return undefined;
}

/**
 * The first of `keys` whose value is a string.
 *
 * @internal
 */
export function str(raw: RawModelConfig, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === "string") return value;
  }
  return undefined;
}

/**
 * The value of `key` when it is a boolean.
 *
 * @internal
 */
export function bool(raw: RawModelConfig, key: string): boolean | undefined {
  const value = raw[key];
  return typeof value === "boolean" ? value : undefined;
}

/**
 * The value of `key` when it is a plain object.
 *
 * @internal
 */
export function obj(raw: RawModelConfig, key: string): RawModelConfig | undefined {
  const value = raw[key];
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as RawModelConfig) : undefined;
}
