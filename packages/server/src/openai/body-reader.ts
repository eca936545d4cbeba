import { nearestName } from "@proj/core/internal";
import { badRequest } from "../errors/http-error.js";

/** Bounds of a numeric field. */
export interface NumberBounds {
  min?: number;
  max?: number;
  /** Exclusive lower bound instead of `min`. */
  above?: number;
  integer?: boolean;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}` : typeof value;
}

/**
 * Reads the fields of a JSON request body with their types checked: every wrong type or out-of-range value is a
 * 400 that names the field (`param`), never a crash deeper in.
 *
 * @example
 * const body = new BodyReader(request.body);
 * const maxTokens = body.number("max_tokens", { min: 1, integer: true });
 * const stop = body.strings("stop", 16);
 */
export class BodyReader {
  readonly #body: Record<string, unknown>;
  readonly #path: string;

  /** @param path - the field names are reported under (`"stream_options."` for a nested object). */
  constructor(body: unknown, path = "") {
    this.#path = path;
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      const got = body === undefined ? "nothing" : describe(body);
      if (path === "") throw badRequest(`Expected a JSON object as the request body, got ${got}`, null, "invalid_type");
      const name = path.replace(/\.$/, "");
      throw badRequest(`"${name}" must be an object, got ${got}`, name, "invalid_type");
    }
    this.#body = body as Record<string, unknown>;
  }

  /** The field's name as the client wrote it, nested objects included. */
  #at(name: string): string {
    return `${this.#path}${name}`;
  }

  /** True when the field is present and `null` (as in `top_k: null`, "all"). */
  isNull(name: string): boolean {
    return this.#body[name] === null;
  }

  /** The raw value of a field (`undefined` when absent or `null`). */
  raw(name: string): unknown {
    const value = this.#body[name];
    return value === null ? undefined : value;
  }

  /** A string field. */
  string(name: string, required: true): string;
  string(name: string, required?: false): string | undefined;
  string(name: string, required = false): string | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (required) throw badRequest(`Missing required field "${this.#at(name)}"`, this.#at(name), "missing_required_parameter");
      return undefined;
    }
    if (typeof value !== "string")
      throw badRequest(`"${this.#at(name)}" must be a string, got ${describe(value)}`, this.#at(name), "invalid_type");
    return value;
  }

  /** A number field within bounds. */
  number(name: string, bounds: NumberBounds = {}): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value))
      throw badRequest(`"${this.#at(name)}" must be a number, got ${describe(value)}`, this.#at(name), "invalid_type");
    if (bounds.integer && !Number.isInteger(value))
      throw badRequest(`"${this.#at(name)}" must be an integer, got ${value}`, this.#at(name), "invalid_type");
    const { min, max, above } = bounds;
    if ((min !== undefined && value < min) || (max !== undefined && value > max) || (above !== undefined && value <= above)) {
      const low = above !== undefined ? `(${above}` : min !== undefined ? `[${min}` : "(-inf";
      const high = max !== undefined ? `${max}]` : "inf)";
      throw badRequest(`"${this.#at(name)}" must be in ${low}, ${high}, got ${value}`, this.#at(name));
    }
    return value;
  }

  /** A boolean field. */
  boolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== "boolean")
      throw badRequest(`"${this.#at(name)}" must be true or false, got ${describe(value)}`, this.#at(name), "invalid_type");
    return value;
  }

  /** A string or an array of up to `maxItems` strings, as an array. */
  strings(name: string, maxItems: number): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const list = typeof value === "string" ? [value] : value;
    if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) {
      throw badRequest(
        `"${this.#at(name)}" must be a string or an array of strings, got ${describe(value)}`,
        this.#at(name),
        "invalid_type",
      );
    }
    if (list.length > maxItems)
      throw badRequest(`"${this.#at(name)}" has ${list.length} entries; at most ${maxItems} are allowed`, this.#at(name));
    return list as string[];
  }

  /** An object field. */
  object(name: string): BodyReader | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== "object" || Array.isArray(value))
      throw badRequest(`"${this.#at(name)}" must be an object, got ${describe(value)}`, this.#at(name), "invalid_type");
    return new BodyReader(value, `${this.#at(name)}.`);
  }

  /**
   * Refuses a field that is not one of `known` with a 400 `unknown_parameter` naming it and the nearest known field
   * (`topk` -> `top_k`), so a misspelt field is not silently ignored. For this server's own task endpoints; the OpenAI
   * endpoints ignore fields they do not know, as OpenAI does.
   */
  only(known: readonly string[], where: string): void {
    for (const name of Object.keys(this.#body)) {
      if (known.includes(name)) continue;
      const near = nearestName(name, known);
      const hint = near ? `did you mean "${this.#at(near)}"?` : `its fields are: ${known.join(", ")}`;
      throw badRequest(`${where} has no field "${this.#at(name)}"; ${hint}`, this.#at(name), "unknown_parameter");
    }
  }

  /** Refuses a field this server does not implement when `unsupported(value)` says so. */
  refuse(name: string, unsupported: (value: unknown) => boolean, why: string): void {
    const value = this.raw(name);
    if (value !== undefined && unsupported(value))
      throw badRequest(`"${this.#at(name)}" is not supported: ${why}`, this.#at(name), "unsupported_parameter");
  }
}
