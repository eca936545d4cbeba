import { randomInt } from "node:crypto";

/** A source of uniform numbers in [0, 1). */
export interface Rng {
  /** The next uniform number in [0, 1). */
  next(): number;
}

/**
 * A seedable pseudo-random generator (xoshiro128**, seeded through splitmix32): the same seed always gives
 * the same sequence, on every platform. Without a seed, it is seeded from the OS.
 *
 * @example
 * const rng = createRng(42);
 * rng.next(); // the same number every run
 */
export function createRng(seed?: number): Rng {
  let s = seed ?? randomInt(0, 2 ** 32);
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  // Fold the high bits of seeds above 2^32 in, so that large seeds differ.
  s = (s ^ Math.floor((seed ?? 0) / 2 ** 32)) >>> 0;
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return {
    next(): number {
      const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
      const t = (b << 9) >>> 0;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      return result / 4294967296;
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
