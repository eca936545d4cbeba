import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, statSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { dirname } from "node:path";
import { pipeline } from "node:stream/promises";
import { DownloadError } from "../../errors.js";
import type { DownloadProgress } from "../model-source.js";
import { normalizeEtag, type HubCache } from "./hub-cache.js";
import { downloadFailure, hubHttpError, isEntryNotFound, type HubErrorContext } from "./hub-errors.js";
import { abortErrorOf, requestFollowingRedirects } from "./hub-http.js";
import { acquireLock } from "./hub-inflight.js";

/**
 * Downloads one file of a Hub repository into the cache, as huggingface_hub does:
 * `GET {endpoint}/{id}/resolve/{revision}/{path}`, redirects followed by hand, the commit from
 * `X-Repo-Commit`, the blob name from `X-Linked-Etag` (LFS) or `ETag`, bytes streamed into
 * `blobs/<etag>.incomplete`, checked against the announced size, then renamed and linked.
 */

/** Everything a download needs to know. */
export interface DownloadContext extends HubErrorContext {
  cache: HubCache;
  /** Sent as `Authorization: Bearer` to the endpoint's host only. */
  token: string | undefined;
  timeoutMs: number;
  onProgress: ((progress: DownloadProgress) => void) | undefined;
}

/** A file now in the cache, or a file the repository does not have. */
export type DownloadOutcome = { kind: "file"; path: string } | { kind: "missing" };

/** What the Hub said about the file (from the first response that carries `X-Repo-Commit`). */
interface FileMeta {
  commit?: string;
  etag?: string;
  size?: number;
}

const USER_AGENT = `proj-core/0.0.0; node/${process.versions.node}`;

/** The server restarted the range badly; the caller tries once more from byte 0. */
class RestartError extends Error {}

/**
 * The URL of a file at a revision: `{endpoint}/{id}/resolve/{revision}/{path}`, each part encoded.
 *
 * @example
 * resolveUrl("https://huggingface.co", "Xenova/gpt2", "main", "onnx/model.onnx");
 */
export function resolveUrl(endpoint: string, id: string, revision: string, file: string): URL {
  const path = file.split("/").map(encodeURIComponent).join("/");
  return new URL(`${endpoint}/${id}/resolve/${encodeURIComponent(revision)}/${path}`);
}

/**
 * Headers for one hop: the token only when the hop goes to the endpoint's own origin.
 *
 * @example
 * headersForHop(ctx, new URL(ctx.endpoint), url, 0);
 */
export function headersForHop(ctx: { token: string | undefined }, endpoint: URL, url: URL, rangeStart: number): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { "accept-encoding": "identity", "user-agent": USER_AGENT };
  if (ctx.token && url.protocol === endpoint.protocol && url.host === endpoint.host) {
    headers.authorization = `Bearer ${ctx.token}`;
  }
  if (rangeStart > 0) headers.range = `bytes=${rangeStart}-`;
  return headers;
}

/**
 * Downloads `file` into the cache and links it into the snapshot of its commit. Resolves with the
 * snapshot path, or `{ kind: "missing" }` when the Hub says the file does not exist (recorded in
 * `.no_exist`). Throws typed errors: {@link DownloadError}, `OfflineError`, `ModelNotFoundError`,
 * `AbortError`.
 *
 * @example
 * const outcome = await downloadFile(ctx, "config.json", signal);
 */
export async function downloadFile(ctx: DownloadContext, file: string, signal: AbortSignal | undefined): Promise<DownloadOutcome> {
  try {
    try {
      return await attempt(ctx, file, signal, true);
    } catch (error) {
      if (!(error instanceof RestartError)) throw error;
      return await attempt(ctx, file, signal, false);
    }
  } catch (error) {
    if (signal?.aborted) throw abortErrorOf(signal);
    throw downloadFailure(ctx, file, error);
  }
}

async function attempt(ctx: DownloadContext, file: string, signal: AbortSignal | undefined, resume: boolean): Promise<DownloadOutcome> {
  const endpoint = new URL(ctx.endpoint);
  const meta: FileMeta = {};
  let offset = 0;
  let release: (() => void) | undefined;
  try {
    const { response } = await requestFollowingRedirects(resolveUrl(ctx.endpoint, ctx.id, ctx.revision, file), {
      signal,
      timeoutMs: ctx.timeoutMs,
      headersFor: (url) => headersForHop(ctx, endpoint, url, offset),
      onResponse: async (res) => {
        readMeta(res, meta);
        const status = res.statusCode ?? 0;
        if (status < 300 || status >= 400 || meta.etag === undefined || release !== undefined) return;
        // A redirect that names the blob (LFS): skip the transfer if we have it, else resume.
        release = await acquireLock(ctx.cache.blobPath(meta.etag), signal);
        if (existsSync(ctx.cache.blobPath(meta.etag))) return false;
        if (resume) offset = await resumableBytes(ctx.cache.incompletePath(meta.etag), meta.size);
      },
    });

    const status = response.statusCode ?? 0;
    if (status >= 400) {
      response.resume();
      if (!isEntryNotFound(response)) throw hubHttpError(ctx, file, response);
      if (meta.commit !== undefined) {
        await ctx.cache.markAbsent(meta.commit, file);
        await ctx.cache.writeRef(ctx.revision, meta.commit);
      }
      return { kind: "missing" };
    }
    const { commit, etag } = meta;
    if (commit === undefined || etag === undefined) {
      response.destroy();
      throw new DownloadError(
        `${ctx.endpoint} answered HTTP ${status} for "${file}" of ${ctx.id} without the X-Repo-Commit and ETag headers of a Hugging Face Hub`,
        {
          status,
          hint: "the endpoint (env HF_ENDPOINT or { endpoint }) must be the Hugging Face Hub or a mirror that forwards its headers",
        },
      );
    }
    release ??= await acquireLock(ctx.cache.blobPath(etag), signal);
    let received = false;
    if (existsSync(ctx.cache.blobPath(etag))) {
      response.destroy();
    } else if (status === 200 || status === 206) {
      await receive(ctx, file, response, { commit, etag, size: meta.size }, offset, signal);
      received = true;
    } else {
      response.destroy();
      throw new DownloadError(
        `${response.headers.location === undefined ? "Unexpected" : "Unfollowed"} HTTP ${status} for "${file}" of ${ctx.id}`,
        { status },
      );
    }
    release();
    release = undefined;
    const path = await ctx.cache.linkSnapshot(commit, file, etag);
    await ctx.cache.writeRef(ctx.revision, commit);
    await ctx.cache.clearAbsent(commit, file);
    if (received) {
      const size = statSync(path).size;
      ctx.onProgress?.({ model: ctx.id, file, loaded: size, total: size, status: "done" });
    }
    return { kind: "file", path };
  } finally {
    release?.();
  }
}

/** Records the commit, blob name and size from a response that carries `X-Repo-Commit`. */
function readMeta(res: IncomingMessage, meta: FileMeta): void {
  if (meta.commit !== undefined) return;
  const commit = header(res, "x-repo-commit");
  if (commit === undefined) return;
  meta.commit = commit;
  if ((res.statusCode ?? 0) >= 400) return;
  const etag = header(res, "x-linked-etag") ?? header(res, "etag");
  if (etag !== undefined && normalizeEtag(etag).length > 0) meta.etag = normalizeEtag(etag);
  meta.size = parseSize(header(res, "x-linked-size") ?? header(res, "content-length"));
}

function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function parseSize(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** Bytes already in `.incomplete` worth resuming from (0, and the file removed, when it is no use). */
async function resumableBytes(incomplete: string, size: number | undefined): Promise<number> {
  if (!existsSync(incomplete)) return 0;
  const have = statSync(incomplete).size;
  if (size !== undefined && have >= size) {
    await rm(incomplete, { force: true });
    return 0;
  }
  return have;
}

/** Streams the body into `.incomplete`, checks its length, and renames it to the blob. */
async function receive(
  ctx: DownloadContext,
  file: string,
  response: IncomingMessage,
  meta: { commit: string; etag: string; size: number | undefined },
  offset: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const incomplete = ctx.cache.incompletePath(meta.etag);
  const length = parseSize(header(response, "content-length"));
  let start = 0;
  let total: number | undefined;
  if (response.statusCode === 206) {
    const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header(response, "content-range") ?? "");
    if (range === null || Number(range[1]) !== offset) {
      response.destroy();
      await rm(incomplete, { force: true });
      throw new RestartError("the server answered a range that does not continue the partial download");
    }
    start = offset;
    total = range[2] !== "*" ? Number(range[2]) : length !== undefined ? start + length : meta.size;
  } else {
    total = length ?? meta.size;
  }
  if (meta.size !== undefined && total !== undefined && total !== meta.size) {
    response.destroy();
    throw new DownloadError(`The Hub announced ${meta.size} bytes for "${file}" of ${ctx.id} but the download server sends ${total}`, {
      hint: "try again later; the file may have changed while downloading",
    });
  }

  await mkdir(dirname(incomplete), { recursive: true });
  let loaded = start;
  const report = (status: DownloadProgress["status"]): void => {
    ctx.onProgress?.({ model: ctx.id, file, loaded, total, status });
  };
  report("start");
  try {
    await pipeline(
      response,
      async function* count(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          loaded += chunk.length;
          report("progress");
          yield chunk;
        }
      },
      createWriteStream(incomplete, { flags: start > 0 ? "a" : "w" }),
      signal === undefined ? {} : { signal },
    );
  } catch (error) {
    if (signal?.aborted) {
      await rm(incomplete, { force: true });
      throw abortErrorOf(signal);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new DownloadError(
      `Downloading "${file}" of Hub model ${ctx.id} stopped after ${loaded}${total === undefined ? "" : ` of ${total}`} bytes (${reason})`,
      { cause: error, hint: "try again; the next attempt resumes from the bytes already received" },
    );
  }
  if (total !== undefined && loaded !== total) {
    if (loaded > total) await rm(incomplete, { force: true });
    throw new DownloadError(
      `Downloading "${file}" of Hub model ${ctx.id} stopped after ${loaded} of ${total} bytes: the connection closed early`,
      { hint: "try again; the next attempt resumes from the bytes already received" },
    );
  }
  if (total === undefined && !(await matchesEtag(incomplete, meta.etag))) {
    // No announced size (a chunked answer): only the content hash the ETag names tells a whole file from a cut one.
    await rm(incomplete, { force: true });
    throw new DownloadError(
      `Downloading "${file}" of Hub model ${ctx.id} ended after ${loaded} bytes that do not match its ETag ${meta.etag}: the transfer was cut short`,
      { hint: "try again" },
    );
  }
  await rename(incomplete, ctx.cache.blobPath(meta.etag));
}

/**
 * True when a file's content matches an ETag that is a content hash: the git blob sha1 the Hub uses for regular
 * files, or the sha256 of an LFS file. Other ETags cannot be checked and match.
 */
async function matchesEtag(path: string, etag: string): Promise<boolean> {
  const kind = /^[0-9a-f]{40}$/.test(etag) ? "sha1" : /^[0-9a-f]{64}$/.test(etag) ? "sha256" : undefined;
  if (kind === undefined) return true;
  const hash = createHash(kind);
  if (kind === "sha1") hash.update(`blob ${statSync(path).size}\0`);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex") === etag;
}
