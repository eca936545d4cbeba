import { DownloadError } from "../../errors.js";
import { downloadFailure, hubHttpError } from "./hub-errors.js";
import { abortErrorOf, readText, requestFollowingRedirects } from "./hub-http.js";
import { headersForHop, type DownloadContext } from "./hub-download.js";

/**
 * The Hub's model API: `GET {endpoint}/api/models/{id}/revision/{revision}`, which lists the
 * repository's files (`siblings[].rfilename`) at the commit `sha`.
 */

/** The files of a repository at one commit. */
export interface RepoListing {
  /** The commit the revision points at. */
  commit: string;
  /** Relative paths, sorted. */
  files: string[];
}

/**
 * Fetches the file list of the context's repository and revision, and records the revision's
 * commit in `refs/`. Throws `OfflineError` when the endpoint is unreachable, `ModelNotFoundError`
 * for a missing repository or revision, {@link DownloadError} otherwise.
 *
 * @example
 * const { commit, files } = await fetchRepoListing(ctx, signal);
 */
export async function fetchRepoListing(ctx: DownloadContext, signal: AbortSignal | undefined): Promise<RepoListing> {
  const endpoint = new URL(ctx.endpoint);
  const url = new URL(`${ctx.endpoint}/api/models/${ctx.id}/revision/${encodeURIComponent(ctx.revision)}`);
  let listing: RepoListing;
  try {
    const { response } = await requestFollowingRedirects(url, {
      signal,
      timeoutMs: ctx.timeoutMs,
      headersFor: (hop) => ({ ...headersForHop(ctx, endpoint, hop, 0), accept: "application/json" }),
    });
    const status = response.statusCode ?? 0;
    if (status >= 400) {
      response.resume();
      throw hubHttpError(ctx, undefined, response);
    }
    if (status !== 200) {
      response.resume();
      throw new DownloadError(`Listing the files of Hub model ${ctx.id} got HTTP ${status}`, { status });
    }
    listing = parseListing(await readText(response), ctx.id);
  } catch (error) {
    if (signal?.aborted) throw abortErrorOf(signal);
    throw downloadFailure(ctx, undefined, error);
  }
  await ctx.cache.writeRef(ctx.revision, listing.commit);
  return listing;
}

function parseListing(text: string, id: string): RepoListing {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new DownloadError(`The Hub's file list for ${id} is not valid JSON`, { cause: error });
  }
  if (typeof body !== "object" || body === null) throw invalid(id);
  const { sha, siblings } = body as { sha?: unknown; siblings?: unknown };
  if (typeof sha !== "string" || !Array.isArray(siblings)) throw invalid(id);
  const files: string[] = [];
  for (const sibling of siblings as unknown[]) {
    const name = typeof sibling === "object" && sibling !== null ? (sibling as { rfilename?: unknown }).rfilename : undefined;
    if (typeof name === "string") files.push(name);
  }
  return { commit: sha, files: files.sort() };
}

function invalid(id: string): DownloadError {
  return new DownloadError(`The Hub's file list for ${id} has no "sha" and "siblings"`, {
    hint: "the endpoint (env HF_ENDPOINT or { endpoint }) must be the Hugging Face Hub or a mirror of its API",
  });
}
