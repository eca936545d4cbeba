import { createHash } from "node:crypto";
import { readFile, realpath, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../files/write-file-atomic.js";

/**
 * Where rewritten graphs are kept: `PROJ_CACHE_DIR`, else `$XDG_CACHE_HOME/proj`, else `~/.cache/proj`, with a
 * `graphs` folder under it; `PROJ_CACHE_DIR=off` keeps nothing (every load rewrites in memory).
 *
 * @example
 * graphCacheDir({ PROJ_CACHE_DIR: "/data/proj" }); // "/data/proj/graphs"
 */
export function graphCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const root = env.PROJ_CACHE_DIR;
  if (root === "off") return undefined;
  if (root) return join(resolve(root.startsWith("~/") ? join(homedir(), root.slice(2)) : root), "graphs");
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), ".cache"), "proj", "graphs");
}

/**
 * The version of the rewrite: part of every cached file's name, so a release that rewrites graphs differently (or
 * reads them with a newer ONNX schema) never serves an older release's files or verdicts.
 */
const REWRITE_VERSION = "v1";

/** What the cache holds for one source file: the rewritten graph's path, or why it is opened unchanged. */
export type GraphCacheEntry = { path: string } | { unchanged: string } | undefined;

/**
 * A disk cache of rewritten graphs, keyed by the SHA-256 of the source file's bytes (so a changed file is never
 * served an old rewrite; the hash of a file is remembered by path, size and modification time, so it is computed once).
 * Files are written to a temporary name and renamed, so concurrent processes never read half a file.
 *
 * @example
 * const cache = GraphCache.open();
 * const { key } = await cache.keyOf("/models/gpt2/onnx/model.onnx");
 * const hit = await cache.get(key); // { path } | { unchanged: reason } | undefined
 */
export class GraphCache {
  readonly #dir: string;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** The cache in {@link graphCacheDir}, or `undefined` when it is turned off. */
  static open(env: NodeJS.ProcessEnv = process.env): GraphCache | undefined {
    const dir = graphCacheDir(env);
    return dir ? new GraphCache(dir) : undefined;
  }

  /**
   * The SHA-256 of a file's bytes (hex), remembered by its real path, size and modification time; when it had to be
   * computed, the bytes read for it come back too (a rewrite then reads the file once).
   */
  async keyOf(file: string): Promise<{ key: string; bytes?: Uint8Array }> {
    const path = await realpath(file);
    const info = await stat(path);
    const index = join(this.#dir, "index", `${createHash("sha256").update(path).digest("hex")}.json`);
    try {
      const known = JSON.parse(await readFile(index, "utf8")) as { size: number; mtimeMs: number; sha256: string };
      if (known.size === info.size && known.mtimeMs === info.mtimeMs && /^[0-9a-f]{64}$/.test(known.sha256)) return { key: known.sha256 };
    } catch {
      // not indexed yet
    }
    const bytes = await readFile(path);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await this.#write(index, JSON.stringify({ path, size: info.size, mtimeMs: info.mtimeMs, sha256 }));
    return { key: sha256, bytes };
  }

  /** What is cached under a key. */
  async get(key: string): Promise<GraphCacheEntry> {
    const path = this.#graphPath(key);
    try {
      if ((await stat(path)).size > 0) return { path };
    } catch {
      // no rewritten graph
    }
    try {
      return { unchanged: await readFile(this.#unchangedPath(key), "utf8") };
    } catch {
      return undefined;
    }
  }

  /** Keeps a rewritten graph under a key; returns its path. */
  async putGraph(key: string, bytes: Uint8Array): Promise<string> {
    const path = this.#graphPath(key);
    await this.#write(path, bytes);
    return path;
  }

  /** Remembers that a graph is opened unchanged, and why (so the next load does not parse it again). */
  async putUnchanged(key: string, reason: string): Promise<void> {
    await this.#write(this.#unchangedPath(key), reason);
  }

  /** Forgets a cached graph (ONNX Runtime refused it: a damaged file). */
  async drop(key: string): Promise<void> {
    await unlink(this.#graphPath(key)).catch(() => undefined);
  }

  #graphPath(key: string): string {
    return join(this.#dir, `${key}.last-position.${REWRITE_VERSION}.onnx`);
  }

  #unchangedPath(key: string): string {
    return join(this.#dir, `${key}.unchanged.${REWRITE_VERSION}.txt`);
  }

  #write(path: string, data: string | Uint8Array): Promise<void> {
    return writeFileAtomic(path, data);
  }
}
