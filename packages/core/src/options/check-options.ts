import { InputError } from "../errors.js";
import { describeValue } from "./describe-value.js";
import { nearestName } from "./nearest-name.js";

/**
 * The option names of an options type, checked by the compiler to be complete: a name missing from the list, or one
 * the type does not have, is a type error. The list is what {@link checkOptions} accepts at run time, so plain
 * JavaScript callers get the same answer as TypeScript ones.
 *
 * @example
 * const CLASSIFY_OPTIONS = optionNames<ClassifyOptions>()(["model", "load", "signal", "topK", "truncation"]);
 */
export function optionNames<T extends object>() {
  return <const K extends readonly (keyof T & string)[]>(
    names: K & ([Exclude<keyof T & string, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T & string, K[number]> }),
  ): readonly (keyof T & string)[] => names;
}

/**
 * Checks an options argument: `undefined` (all defaults) or a plain object whose every key is one of `known`; a
 * callback option (a name starting with `on` and a capital, such as `onToken`) must be a function. An unknown key is
 * refused with an {@link InputError} naming it (`where` says whose options they are, e.g. `"generate()"`) and the nearest known option (`maxNewToken` → `maxNewTokens`,
 * `top_k` → `topK`), instead of being silently ignored. Returns the options as an object.
 *
 * @example
 * checkOptions({ maxNewToken: 4 }, "generate()", ["maxNewTokens", "topK"]);
 * // InputError: generate() has no option "maxNewToken". Did you mean "maxNewTokens"?
 */
export function checkOptions<T extends object>(options: T | undefined, where: string, known: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InputError(`${where} expects its options to be an object, got ${describeValue(options)}`, {
      hint: "pass { ... }, or omit the options",
    });
  }
  for (const [name, value] of Object.entries(options)) {
    if (!known.includes(name)) {
      const near = nearestName(name, known);
      throw new InputError(`${where} has no option "${name}"`, {
        hint: near ? `did you mean "${near}"?` : `its options are: ${[...known].sort().join(", ")}`,
      });
    }
    if (value !== undefined && /^on[A-Z]/.test(name) && typeof value !== "function") {
      throw new InputError(`${where}: ${name} must be a function, got ${describeValue(value)}`, {
        hint: "pass (event) => { ... }, or omit it",
      });
    }
  }
  return options;
}
