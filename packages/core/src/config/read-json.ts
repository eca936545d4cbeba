import { readFile } from "node:fs/promises";
import { ModelFormatError } from "../errors.js";

// The typed field readers are the chooser's, so core and the chooser read config files the same way.
export { booleanField as bool, numberField as num, objectField as obj, stringField as str } from "@proj/chooser";

/** A parsed JSON object whose fields are not yet checked. */
export type JsonObject = Record<string, unknown>;

/**
 * Reads a JSON object from a file, with errors that name the file.
 *
 * @example
 * const raw = await readJsonObject("/models/bert/config.json");
 */
export async function readJsonObject(path: string): Promise<JsonObject> {
  const text = await readFile(path, "utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(`${path} is not valid JSON (${(error as Error).message})`, {
      hint: "the file is corrupt or truncated; download or export it again",
      cause: error,
    });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ModelFormatError(
      `${path} must hold a JSON object, found ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`,
      {
        hint: "download or export the file again",
      },
    );
  }
  return value as JsonObject;
}

/** Reads a token id field that may be a number or a list of numbers (as `eos_token_id` often is). */
export function idList(raw: JsonObject, key: string): number[] | undefined {
  const value = raw[key];
  if (typeof value === "number") return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === "number")) return value as number[];
  return undefined;
}
