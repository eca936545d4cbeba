import { FUZZ_SEED } from "@proj/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DecodingOptions, InputError, parseGenerationConfig } from "../../src/index.js";
import { DECODING_OPTION_NAMES, resolveDecodingOptions } from "../../src/internal.js";

/**
 * Every decoding option given any JavaScript value: the options resolve to valid values, or an InputError names
 * the option. Nothing else (no TypeError from spreading a number, no BigInt arithmetic error).
 */

// Every decoding option but the signal (which is not a value to fuzz), from the one list the SDK checks options against.
const FIELDS: ReadonlyArray<keyof DecodingOptions> = DECODING_OPTION_NAMES.filter((name) => name !== "signal");

const anyValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom<unknown>(
    null,
    -1,
    0,
    1,
    2,
    0.5,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 60,
    "",
    "3",
    [],
    [[]],
    [-1],
    [1, 2],
    {},
    10n,
    true,
  ),
);

const limits = { vocabSize: 100, eosTokenIds: [2] };
const config = parseGenerationConfig({ max_length: 50, eos_token_id: 2 });

describe("decoding options given any value", () => {
  it("resolve to checked values or throw InputError naming the option", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 4 }),
        fc.integer({ min: 1, max: 40 }),
        (options, promptLength) => {
          let resolved: ReturnType<typeof resolveDecodingOptions>;
          try {
            resolved = resolveDecodingOptions(config, options as DecodingOptions, limits, promptLength);
          } catch (error) {
            expect(error).toBeInstanceOf(InputError);
            return;
          }
          expect(Number.isInteger(resolved.maxNewTokens) && resolved.maxNewTokens >= 1).toBe(true);
          expect(resolved.minNewTokens).toBeLessThanOrEqual(resolved.maxNewTokens);
          expect(resolved.topP > 0 && resolved.topP <= 1).toBe(true);
          expect(Array.isArray(resolved.stop) && resolved.stop.every((s) => typeof s === "string" && s !== "")).toBe(true);
          expect(resolved.eosTokenIds.every((id) => Number.isInteger(id) && id >= 0 && id < limits.vocabSize)).toBe(true);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 2000 },
    );
  });

  it("options that are not an object are an InputError", () => {
    for (const options of [null, 42, "fast", true]) {
      expect(() => resolveDecodingOptions(config, options as unknown as DecodingOptions, limits, 3)).toThrow(InputError);
    }
  });
});
