/** The outcome of a call: its value, or the typed error it threw. */
export type Outcome<T, E extends Error = Error> = { ok: true; value: T } | { ok: false; error: E };

/**
 * A `settle(work, ms?, what?)` for the reliability suites: it runs a call and gives its {@link Outcome} within `ms`
 * milliseconds; a hang rejects, and so does an error that is not an instance of `errorClass` (the SDK's typed
 * error class, passed in because this package does not depend on @proj/core).
 *
 * @example
 * const settle = settler(ProjError);
 * const outcome = await settle(() => classify(text, { model }), 10_000, "classify");
 */
export function settler<E extends Error>(errorClass: abstract new (...args: never[]) => E) {
  return async function settle<T>(work: () => Promise<T>, ms = 30_000, what = "the call"): Promise<Outcome<T, E>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
    });
    try {
      return { ok: true, value: await Promise.race([work(), timeout]) };
    } catch (error) {
      if (!(error instanceof errorClass)) {
        throw new Error(`${what} threw ${String(error)}, not a ${errorClass.name}`, { cause: error });
      }
      return { ok: false, error };
    } finally {
      clearTimeout(timer);
    }
  };
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/**
 * Why `[start, end)` is not a well-formed span of `text` (outside it, backwards, or cutting a surrogate pair), or
 * `undefined`.
 *
 * @example
 * spanProblem("a😀", 0, 2); // "2 cuts a surrogate pair"
 */
export function spanProblem(text: string, start: number, end: number): string | undefined {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
    return `[${start}, ${end}) is not inside a text of length ${text.length}`;
  }
  for (const at of [start, end]) {
    if (at > 0 && at < text.length && isHigh(text.charCodeAt(at - 1)) && isLow(text.charCodeAt(at))) return `${at} cuts a surrogate pair`;
  }
  return undefined;
}

/**
 * A probability: finite and in [0, 1] (with float slack).
 *
 * @example
 * isProbability(0.3); // true
 */
export function isProbability(x: unknown): boolean {
  return typeof x === "number" && Number.isFinite(x) && x >= 0 && x <= 1 + 1e-9;
}

/**
 * Resident memory in MiB.
 *
 * @example
 * const before = rssMb();
 */
export const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;

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
