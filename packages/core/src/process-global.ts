/**
 * A value shared by every copy of `@proj/core` in the process (its ESM and CommonJS builds, or two installed
 * versions): kept on `globalThis` under a registered symbol, created by the first copy that asks. Used for what must
 * exist once per process: the session pool, the registry of handle caches, in-flight downloads.
 *
 * @example
 * const pool = processGlobal("session-pool", () => new Map<string, PoolEntry>());
 */
export function processGlobal<T>(name: string, create: () => T): T {
  const key = Symbol.for(`@proj/core.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  let value = store[key];
  if (value === undefined) {
    value = create();
    store[key] = value;
  }
  return value;
}
