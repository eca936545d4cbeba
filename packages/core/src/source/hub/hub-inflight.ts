import { throwIfAborted } from "../../errors.js";
import { abortErrorOf } from "./hub-http.js";
import { processGlobal } from "../../process-global.js";

/**
 * In-process coordination of downloads: callers asking for the same file share one download,
 * and writers of the same blob take turns.
 */

interface SharedTask {
  promise: Promise<unknown>;
  controller: AbortController;
  waiters: number;
}

const tasks = processGlobal("hub-downloads", () => new Map<string, SharedTask>());

/**
 * Runs `run` once per `key` at a time: a second caller with the same key while the first is
 * running waits for the same result. Each caller's `signal` only stops its own wait; the task
 * itself is aborted when every waiter has given up, and the last one rejects once the task has
 * finished cleaning up.
 *
 * @example
 * const path = await shareTask(`${repo}/${file}`, (signal) => download(file, signal), options.signal);
 */
export function shareTask<T>(key: string, run: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  throwIfAborted(signal);
  let task = tasks.get(key);
  if (task === undefined) {
    const controller = new AbortController();
    const created: SharedTask = {
      controller,
      waiters: 0,
      promise: run(controller.signal).finally(() => {
        if (tasks.get(key) === created) tasks.delete(key);
      }),
    };
    task = created;
    tasks.set(key, task);
  }
  const shared = task;
  shared.waiters += 1;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const leave = (): boolean => {
      if (settled) return false;
      settled = true;
      shared.waiters -= 1;
      signal?.removeEventListener("abort", onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (!leave()) return;
      const error = abortErrorOf(signal);
      if (shared.waiters > 0) {
        reject(error);
        return;
      }
      // The last waiter stops the task, and hears back once it has cleaned up.
      if (tasks.get(key) === shared) tasks.delete(key);
      shared.controller.abort(signal?.reason);
      shared.promise.then(
        () => reject(error),
        () => reject(error),
      );
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    shared.promise.then(
      (value) => {
        if (leave()) resolve(value as T);
      },
      (error: unknown) => {
        if (leave()) reject(error);
      },
    );
  });
}

const locks = processGlobal("hub-file-locks", () => new Map<string, Promise<void>>());

/**
 * Waits for exclusive use of `key` (e.g. a blob path) in this process; call the returned
 * function to release it. Rejects with an abort error when `signal` fires while waiting.
 *
 * @example
 * const release = await acquireLock(blobPath, signal);
 * try { await write(); } finally { release(); }
 */
export async function acquireLock(key: string, signal?: AbortSignal): Promise<() => void> {
  const previous = locks.get(key) ?? Promise.resolve();
  let release: () => void = () => undefined;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const chained = previous.then(() => mine);
  locks.set(key, chained);
  void chained.then(() => {
    if (locks.get(key) === chained) locks.delete(key);
  });
  const unlock = (): void => release();
  if (signal === undefined) {
    await previous;
    return unlock;
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(abortErrorOf(signal));
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      void previous.then(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  } catch (error) {
    unlock();
    throw error;
  }
  return unlock;
}
