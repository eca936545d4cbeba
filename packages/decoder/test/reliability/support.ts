import { ProjError } from "@proj/core";
import { settler } from "@proj/testing";

export { isProbability, type Outcome, rssMb, spanProblem } from "@proj/testing";

/** Settles a call within `ms` milliseconds: a hang fails the test, and so does an error that is not a {@link ProjError}. */
export const settle = settler(ProjError);

/**
 * A signal that fires at a chosen moment of a call, counted in the call's own checks of it rather than in
 * milliseconds (so a loaded machine cannot move the moment): the `at`-th read of `signal.aborted` still answers
 * false and fires the signal, as if it fired while the work that follows that check (a forward pass, a decoding
 * step) is under way; every later read answers true. `checks()` counts the reads so far.
 *
 * @example
 * const { signal, checks } = signalFiringAtCheck(3); // fires during the second forward pass of a batched call
 */
export function signalFiringAtCheck(at: number): { signal: AbortSignal; checks: () => number } {
  const controller = new AbortController();
  const { signal } = controller;
  const aborted = Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get as () => boolean;
  let reads = 0;
  Object.defineProperty(signal, "aborted", {
    get(): boolean {
      const value = aborted.call(signal);
      reads += 1;
      if (reads === at) controller.abort();
      return value;
    },
  });
  return { signal, checks: () => reads };
}
