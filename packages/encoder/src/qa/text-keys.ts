/** Moduli and bases of the two rolling hashes: below 2^26, so every product stays an exact double. */
const M1 = 67_108_859;
const M2 = 67_108_837;
const B1 = 131;
const B2 = 257;

/**
 * Keys for "the same text, ignoring case" over spans of one context, without building a string per span: a span's
 * key is two rolling hashes of the lowercased context (constant time), and {@link TextKeys.same} confirms a match
 * character by character (so a hash collision never merges two texts). Contexts whose lowercase form has another
 * length (a few characters such as "İ" lowercase to two) use the lowercased slice itself as the key.
 *
 * @example
 * const keys = new TextKeys("Paris is in France. paris!");
 * keys.key(0, 5) === keys.key(20, 25); // true
 * keys.same(0, 5, 20, 25); // true
 */
export class TextKeys {
  readonly #context: string;
  readonly #lower: string;
  readonly #exact: boolean;
  readonly #h1: Uint32Array;
  readonly #h2: Uint32Array;
  readonly #p1: Uint32Array;
  readonly #p2: Uint32Array;

  constructor(context: string) {
    this.#context = context;
    this.#lower = context.toLowerCase();
    this.#exact = this.#lower.length === context.length;
    const n = this.#exact ? context.length : 0;
    this.#h1 = new Uint32Array(n + 1);
    this.#h2 = new Uint32Array(n + 1);
    this.#p1 = new Uint32Array(n + 1);
    this.#p2 = new Uint32Array(n + 1);
    this.#p1[0] = 1;
    this.#p2[0] = 1;
    for (let i = 0; i < n; i++) {
      const c = this.#lower.charCodeAt(i);
      this.#h1[i + 1] = ((this.#h1[i] as number) * B1 + c) % M1;
      this.#h2[i + 1] = ((this.#h2[i] as number) * B2 + c) % M2;
      this.#p1[i + 1] = ((this.#p1[i] as number) * B1) % M1;
      this.#p2[i + 1] = ((this.#p2[i] as number) * B2) % M2;
    }
  }

  /** A key that equal texts (ignoring case) share; different texts share one only by a hash collision. */
  key(start: number, end: number): number | string {
    if (!this.#exact) return this.#context.slice(start, end).toLowerCase();
    const len = end - start;
    const a = ((this.#h1[end] as number) - (((this.#h1[start] as number) * (this.#p1[len] as number)) % M1) + M1) % M1;
    const b = ((this.#h2[end] as number) - (((this.#h2[start] as number) * (this.#p2[len] as number)) % M2) + M2) % M2;
    return a * 67_108_864 + b;
  }

  /** Whether two spans have the same text, ignoring case. */
  same(start: number, end: number, otherStart: number, otherEnd: number): boolean {
    if (end - start !== otherEnd - otherStart) return false;
    if (!this.#exact) return this.key(start, end) === this.key(otherStart, otherEnd);
    for (let i = 0; i < end - start; i++) {
      if (this.#lower.charCodeAt(start + i) !== this.#lower.charCodeAt(otherStart + i)) return false;
    }
    return true;
  }
}
