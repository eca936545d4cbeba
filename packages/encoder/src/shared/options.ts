import { InputError, type LoadOptions } from "@proj/core";
import { checkLoadOptions, checkOptions, LOAD_OPTION_NAMES, optionNames } from "@proj/core/internal";

/**
 * Options of every `create*()` function: how to load the model, and a signal to cancel loading.
 *
 * @example
 * const classifier = await createClassifier("./models/sst2", { load: { threads: 2, dtype: "q8" } });
 */
export interface CreateOptions {
  /** How the model is loaded: weight format, ONNX Runtime threads and device, Hub settings. */
  load?: LoadOptions;
  /** Cancels loading (downloads included). */
  signal?: AbortSignal;
}

/**
 * The option names of {@link CreateOptions}.
 *
 * @example
 * checkTaskOptions(options, "createClassifier", CREATE_OPTION_NAMES);
 */
export const CREATE_OPTION_NAMES = optionNames<CreateOptions>()(["load", "signal"]);

/**
 * Checks the options of an encoder function, handle method or `create*()` factory: `undefined` or an object whose
 * every key is one of `names` (an unknown key is an {@link InputError} naming it and the nearest known option), and,
 * when the function takes `load`, its load options. A load option written at the top level (`{ threads: 2 }`) is
 * refused with a hint saying where it goes: under `load`, or, for a handle's method, to the handle's `create*()`.
 * Returns the options as an object.
 *
 * @example
 * checkTaskOptions({ topk: 2 }, "classify", CLASSIFY_OPTION_NAMES);
 * // InputError: classify() has no option "topk" (hint: did you mean "topK"?)
 * checkTaskOptions({ threads: 2 }, "classify", CLASSIFY_OPTION_NAMES);
 * // InputError: classify() has no option "threads" (hint: it is a load option: pass { load: { threads: 2 } })
 * @internal
 */
export function checkTaskOptions<T extends object>(options: T | undefined, fn: string, names: readonly string[]): T {
  const takesLoad = names.includes("load");
  if (options !== null && typeof options === "object" && !Array.isArray(options)) {
    for (const [name, value] of Object.entries(options)) {
      if (names.includes(name) || !(LOAD_OPTION_NAMES as readonly string[]).includes(name)) continue;
      const shown = loadValue(value);
      throw new InputError(`${fn}() has no option "${name}"`, {
        hint: takesLoad
          ? `it is a load option: pass { load: { ${name}: ${shown} } }`
          : `it is a load option of the model, given when the handle is created: create*(model, { load: { ${name}: ${shown} } })`,
      });
    }
  }
  const checked = checkOptions<T>(options, `${fn}()`, names);
  if (takesLoad) checkLoadOptions((checked as { load?: LoadOptions }).load, fn);
  return checked;
}

/** A short rendering of a misplaced load option's value for the hint (`2`, `"q8"`, `...`). */
function loadValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string" && value.length <= 20) return JSON.stringify(value);
  return "...";
}
