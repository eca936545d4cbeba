import { describe, expect, it } from "vitest";
import { InputError } from "../src/index.js";
import { checkLoadOptions, checkOptions, nearestName, optionNames } from "../src/internal.js";

describe("option checking", () => {
  const known = optionNames<{ maxNewTokens?: number; topK?: number; topP?: number; onToken?: () => void }>()([
    "maxNewTokens",
    "topK",
    "topP",
    "onToken",
  ]);

  it("refuses an unknown option with its name and the nearest known one", () => {
    expect(() => checkOptions({ maxNewToken: 4 } as never, "generate()", known)).toThrow(
      /generate\(\) has no option "maxNewToken"\. did you mean "maxNewTokens"\?/,
    );
    expect(() => checkOptions({ top_k: 4 } as never, "generate()", known)).toThrow(/did you mean "topK"/);
    const far = (() => {
      try {
        checkOptions({ colour: "red" } as never, "generate()", known);
      } catch (error) {
        return error;
      }
    })();
    expect(InputError.isInstance(far)).toBe(true);
    expect((far as InputError).message).toMatch(/no option "colour".*its options are: maxNewTokens, onToken, topK, topP/);
  });

  it("accepts known options, undefined values and no options at all", () => {
    expect(checkOptions({ topK: 3, topP: undefined }, "generate()", known)).toEqual({ topK: 3, topP: undefined });
    expect(checkOptions(undefined, "generate()", known)).toEqual({});
  });

  it("refuses options that are not a plain object, and callbacks that are not functions", () => {
    for (const bad of [null, 3, "x", [1]]) expect(() => checkOptions(bad as never, "generate()", known)).toThrow(InputError);
    expect(() => checkOptions({ onToken: "print" } as never, "generate()", known)).toThrow(/onToken must be a function, got a string/);
  });

  it("finds near names by edit distance and none for unrelated ones", () => {
    expect(nearestName("numBeam", ["numBeams", "seed"])).toBe("numBeams");
    expect(nearestName("temprature", ["temperature", "topK"])).toBe("temperature");
    expect(nearestName("max_new_tokens", ["maxNewTokens"])).toBe("maxNewTokens");
    expect(nearestName("xyz", ["maxNewTokens", "topK"])).toBeUndefined();
  });

  it("load options: unknown fields, a device it does not know and bad thread counts are refused", () => {
    expect(() => checkLoadOptions({ device: "gpu" } as never, "classify")).toThrow(/device must be "cpu", "cuda" or "auto", got "gpu"/);
    expect(() => checkLoadOptions({ thread: 2 } as never, "classify")).toThrow(/did you mean "threads"/);
    expect(() => checkLoadOptions({ threads: 0 }, "classify")).toThrow(/threads must be a positive integer/);
    expect(checkLoadOptions({ device: "auto", threads: 2, dtype: "q8" }, "classify")).toEqual({ device: "auto", threads: 2, dtype: "q8" });
  });
});
