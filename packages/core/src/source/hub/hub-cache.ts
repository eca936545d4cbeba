import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { copyFile, mkdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { temporaryName, writeFileAtomic } from "../../files/write-file-atomic.js";
import { isCommitHash } from "./hub-id.js";

/**
 * The standard Hugging Face cache, laid out exactly as huggingface_hub writes it, so that
 * Python and JavaScript tools share downloads:
 *
 * ```
 * <cacheDir>/models--{org}--{name}/
 *   blobs/<etag>                      file contents, named by ETag (git sha1 or LFS sha256)
 *   blobs/<etag>.incomplete           a download in progress (never treated as valid)
 *   snapshots/<commit>/<path>         relative symlink to ../../blobs/<etag>
 *   refs/<revision>                   the commit hash a branch or tag pointed at
 *   .no_exist/<commit>/<path>         empty file: <path> is known absent at <commit>
 * ```
 */

/** What the cache knows about one file at one revision. */
export type CacheLookup =
  | { state: "file"; path: string }
  | { state: "absent"; commit: string }
  | { state: "miss"; commit: string | undefined };

/**
 * The cache folder: `cacheDir` when given, else `HF_HUB_CACHE`, else `$HF_HOME/hub`, else
 * `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`.
 *
 * @example
 * resolveHubCacheDir(undefined, { HF_HOME: "/data/hf" }); // "/data/hf/hub"
 */
export function resolveHubCacheDir(cacheDir?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (cacheDir) return expandHome(cacheDir);
  if (env.HF_HUB_CACHE) return expandHome(env.HF_HUB_CACHE);
  if (env.HF_HOME) return join(expandHome(env.HF_HOME), "hub");
  if (env.XDG_CACHE_HOME) return join(expandHome(env.XDG_CACHE_HOME), "huggingface", "hub");
  return join(homedir(), ".cache", "huggingface", "hub");
}

function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(homedir(), path.slice(2));
  return resolve(path);
}

/**
 * Name of a model repository's folder in the cache.
 *
 * @example
 * repoFolderName("Xenova/bert-base-uncased"); // "models--Xenova--bert-base-uncased"
 */
export function repoFolderName(id: string): string {
  return ["models", ...id.split("/")].join("--");
}

/**
 * Normalizes an HTTP ETag to a blob name: drops the weak marker `W/` and the quotes.
 *
 * @example
 * normalizeEtag('W/"a1b2"'); // "a1b2"
 */
export function normalizeEtag(etag: string): string {
  return etag.replace(/^W\//, "").replace(/^"+|"+$/g, "");
}

/** Joins a `/`-separated repository path under a folder. */
function under(dir: string, repoPath: string): string {
  return join(dir, ...repoPath.split("/"));
}

/** A temporary name next to `path`, for write-then-rename. */
/**
 * Reads and writes one model repository in the Hugging Face cache.
 *
 * @example
 * const cache = new HubCache(resolveHubCacheDir(), "Xenova/gpt2");
 * const found = cache.lookup("main", "config.json"); // { state: "file", path } when cached
 */
export class HubCache {
  /** `<cacheDir>/models--{org}--{name}`. */
  readonly repoDir: string;

  constructor(
    /** The cache root. */
    readonly cacheDir: string,
    /** The Hub id. */
    readonly id: string,
  ) {
    this.repoDir = join(cacheDir, repoFolderName(id));
  }

  /** Path of a finished blob. */
  blobPath(etag: string): string {
    return join(this.repoDir, "blobs", etag);
  }

  /** Path of a blob being downloaded. */
  incompletePath(etag: string): string {
    return `${this.blobPath(etag)}.incomplete`;
  }

  /** Path of a file in a snapshot. */
  snapshotPath(commit: string, file: string): string {
    return under(join(this.repoDir, "snapshots", commit), file);
  }

  /** The commit hash `revision` resolves to in the cache, without network. */
  commitFor(revision: string): string | undefined {
    if (isCommitHash(revision)) return revision;
    const refPath = under(join(this.repoDir, "refs"), revision);
    try {
      const commit = readFileSync(refPath, "utf8").trim();
      return commit.length > 0 ? commit : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether a snapshot folder exists for `revision`, i.e. the model was downloaded before. */
  hasSnapshot(revision: string): boolean {
    const commit = this.commitFor(revision);
    return commit !== undefined && existsSync(join(this.repoDir, "snapshots", commit));
  }

  /** What the cache knows about `file` at `revision`. */
  lookup(revision: string, file: string): CacheLookup {
    const commit = this.commitFor(revision);
    if (commit === undefined) return { state: "miss", commit: undefined };
    const path = this.snapshotPath(commit, file);
    // existsSync follows the symlink: a link to a missing blob is a miss.
    if (existsSync(path) && statSync(path).isFile()) return { state: "file", path };
    if (existsSync(under(join(this.repoDir, ".no_exist", commit), file))) return { state: "absent", commit };
    return { state: "miss", commit };
  }

  /** Records that `revision` (a branch or tag) points at `commit`; commit hashes need no ref. */
  async writeRef(revision: string, commit: string): Promise<void> {
    if (revision === commit || isCommitHash(revision)) return;
    if (this.commitFor(revision) === commit) return;
    await writeFileAtomic(under(join(this.repoDir, "refs"), revision), commit);
  }

  /** Links `snapshots/<commit>/<file>` to `blobs/<etag>` (a relative symlink; a copy where links are not allowed). */
  async linkSnapshot(commit: string, file: string, etag: string): Promise<string> {
    const path = this.snapshotPath(commit, file);
    const blob = this.blobPath(etag);
    await mkdir(dirname(path), { recursive: true });
    const temp = temporaryName(path);
    try {
      await symlink(relative(dirname(path), blob), temp);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EACCES") throw error;
      await copyFile(blob, temp);
    }
    await rename(temp, path);
    return path;
  }

  /** Records that `file` does not exist at `commit`. */
  async markAbsent(commit: string, file: string): Promise<void> {
    const path = under(join(this.repoDir, ".no_exist", commit), file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, "");
  }

  /** Removes a `.no_exist` marker, when a file once absent turned up. */
  async clearAbsent(commit: string, file: string): Promise<void> {
    await rm(under(join(this.repoDir, ".no_exist", commit), file), { force: true });
  }

  /** Relative paths of the files in the snapshot of `revision`, or `undefined` when none is cached. */
  listSnapshot(revision: string): string[] | undefined {
    const commit = this.commitFor(revision);
    if (commit === undefined) return undefined;
    const dir = join(this.repoDir, "snapshots", commit);
    if (!existsSync(dir)) return undefined;
    return listRecursively(dir)
      .map((file) => relative(dir, file).split(sep).join("/"))
      .sort();
  }
}

function listRecursively(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listRecursively(full));
    else if (entry.isFile() || (entry.isSymbolicLink() && existsSync(full) && statSync(full).isFile())) {
      if (!entry.name.endsWith(".tmp")) out.push(full);
    }
  }
  return out;
}
