import { InputError } from "../../errors.js";
import { listenToEngine } from "./xgrammar.js";

/**
 * Runs a call into XGrammar that may reject its input. XGrammar reports a bad grammar or regular expression by printing
 * `[FATAL] <file>:<line>: <message>` and aborting the call (a `RuntimeError: Aborted()`); the engine stays usable.
 * This catches that report while the call runs and throws an {@link InputError} that names `what` and carries
 * XGrammar's message.
 *
 * @example
 * const compiled = await engineCall("responseFormat.grammar", () => compiler.compileGrammar(ebnf));
 */
export async function engineCall<T>(what: string, call: () => Promise<T>, hint?: string): Promise<T> {
  const lines: string[] = [];
  const stop = listenToEngine((line) => lines.push(line));
  try {
    return await call();
  } catch (error) {
    const fatal = lines.find((line) => line.startsWith("[FATAL]"));
    const message = fatal ? fatal.replace(/^\[FATAL\][^:]*:\d+:\s*/, "").trim() : String(error);
    throw new InputError(`${what} was rejected by the grammar engine: ${message}`, { ...(hint ? { hint } : {}), cause: error });
  } finally {
    stop();
  }
}
