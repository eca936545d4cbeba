import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The API keys a server accepts, kept as SHA-256 digests and compared in constant time: hashing first makes every
 * comparison the same length, and every key is compared, so neither the time taken nor an early exit tells a
 * client how much of a key it guessed.
 *
 * @example
 * const keys = new ApiKeys(["sk-local-1"]);
 * keys.accepts("sk-local-1"); // true
 * keys.accepts("sk-local-2"); // false
 */
export class ApiKeys {
  readonly #digests: readonly Buffer[];

  constructor(keys: readonly string[]) {
    this.#digests = keys.map(digest);
  }

  /** True when at least one key is configured. */
  get required(): boolean {
    return this.#digests.length > 0;
  }

  /** True when `presented` is one of the keys. */
  accepts(presented: string): boolean {
    const candidate = digest(presented);
    let match = false;
    for (const known of this.#digests) match = timingSafeEqual(known, candidate) || match;
    return match;
  }
}

function digest(key: string): Buffer {
  return createHash("sha256").update(key, "utf8").digest();
}
