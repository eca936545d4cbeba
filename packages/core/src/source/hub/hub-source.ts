import { InputError, OfflineError, throwIfAborted } from "../../errors.js";
import type { DownloadProgress, ModelSource, ResolveFileOptions } from "../model-source.js";
import { fetchRepoListing } from "./hub-api.js";
import { HubCache, resolveHubCacheDir } from "./hub-cache.js";
import { downloadFile, type DownloadContext } from "./hub-download.js";
import { missingFileError, offlineError } from "./hub-errors.js";
import { anySignal, UnreachableError } from "./hub-http.js";
import { parseHubId, validateRepoPath, validateRevision } from "./hub-id.js";
import { shareTask } from "./hub-inflight.js";

/** The public Hugging Face Hub. */
export const DEFAULT_HUB_ENDPOINT = "https://huggingface.co";

/** Options for {@link hubSource}. */
export interface HubSourceOptions {
  /** Branch, tag or commit hash to download. @defaultValue `"main"` */
  revision?: string;
  /**
   * The Hugging Face cache folder, shared with Python's huggingface_hub.
   * @defaultValue env `HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`
   */
  cacheDir?: string;
  /** The Hub's address, for mirrors. @defaultValue env `HF_ENDPOINT`, else `"https://huggingface.co"` */
  endpoint?: string;
  /**
   * Access token for private or gated repositories, sent as `Authorization: Bearer` to the
   * endpoint only (never to the download servers it redirects to); `false` sends none.
   * @defaultValue env `HF_TOKEN`
   */
  token?: string | false;
  /**
   * Use only the cache; a file that is not cached fails with `OfflineError` without any request.
   * @defaultValue true when env `HF_HUB_OFFLINE` is `1`, `true`, `yes` or `on`
   */
  offline?: boolean;
  /** Called as downloads start, progress and finish (not for files served from the cache). */
  onProgress?: (progress: DownloadProgress) => void;
  /** Limit, in milliseconds, for connecting and for silence in a transfer. @defaultValue 30000 */
  timeoutMs?: number;
  /** Cancels every download of this source. */
  signal?: AbortSignal;
}

const TRUE_VALUES = new Set(["1", "true", "yes", "on"]);

/**
 * Opens a model repository on the Hugging Face Hub. Files are downloaded on first use into the
 * standard Hugging Face cache and served from it afterwards without any network request; offline
 * (`HF_HUB_OFFLINE=1`, or no network) cached files keep working.
 *
 * @example
 * const source = hubSource("Xenova/distilbert-base-uncased-finetuned-sst-2-english", {
 *   onProgress: (p) => console.log(p.file, p.loaded, p.total),
 * });
 * const modelPath = await source.resolveFile("onnx/model.onnx");
 */
export function hubSource(id: string, options: HubSourceOptions = {}): ModelSource {
  parseHubId(id);
  const env = process.env;
  const revision = options.revision ?? "main";
  validateRevision(revision);
  const endpoint = normalizeEndpoint(options.endpoint ?? (env.HF_ENDPOINT || DEFAULT_HUB_ENDPOINT));
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!(timeoutMs > 0)) {
    throw new InputError(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`, {
      hint: "pass e.g. { timeoutMs: 30_000 }, or omit it",
    });
  }
  const token = options.token === false ? undefined : options.token || env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
  const offline = options.offline ?? TRUE_VALUES.has((env.HF_HUB_OFFLINE ?? "").trim().toLowerCase());
  const cacheDir = resolveHubCacheDir(options.cacheDir, env);
  const cache = new HubCache(cacheDir, id);
  const ctx: DownloadContext = {
    id,
    revision,
    endpoint,
    cacheDir,
    cache,
    token,
    tokenSent: token !== undefined,
    timeoutMs,
    onProgress: options.onProgress,
  };

  async function resolveFile(path: string, call: ResolveFileOptions = {}): Promise<string | undefined> {
    const file = validateRepoPath(path);
    const signal = anySignal([options.signal, call.signal]);
    throwIfAborted(signal);
    const optional = call.optional === true;

    const cached = cache.lookup(revision, file);
    if (cached.state === "file") return cached.path;
    if (cached.state === "absent" && (optional || offline)) {
      if (optional) return undefined;
      throw missingFileError(ctx, file);
    }
    if (offline) {
      // A model cached before still loads offline when it lacks an optional file.
      if (optional && cache.hasSnapshot(revision)) return undefined;
      throw offlineError(ctx, file);
    }

    const key = [cacheDir, endpoint, id, revision, file].join("\0");
    try {
      const outcome = await shareTask(key, (shared) => downloadFile(ctx, file, shared), signal);
      if (outcome.kind === "file") return outcome.path;
    } catch (error) {
      if (error instanceof OfflineError && optional && cache.hasSnapshot(revision)) return undefined;
      throw error;
    }
    if (optional) return undefined;
    throw missingFileError(ctx, file);
  }

  // Set when the last listing came from the cache (it names only the files downloaded so far), with the network
  // failure that sent it there, if any.
  let listedFromCache: { unreachable: UnreachableError | undefined } | undefined;

  async function listFiles(call: { signal?: AbortSignal } = {}): Promise<string[]> {
    const signal = anySignal([options.signal, call.signal]);
    throwIfAborted(signal);
    if (!offline) {
      try {
        const files = (await fetchRepoListing(ctx, signal)).files;
        listedFromCache = undefined;
        return files;
      } catch (error) {
        if (!(error instanceof OfflineError)) throw error;
        const files = cache.listSnapshot(revision);
        if (files === undefined) throw error;
        listedFromCache = { unreachable: error.cause instanceof UnreachableError ? error.cause : undefined };
        return files;
      }
    }
    const files = cache.listSnapshot(revision);
    if (files === undefined) throw offlineError(ctx, undefined);
    listedFromCache = { unreachable: undefined };
    return files;
  }

  function incompleteListingError(what: string): OfflineError | undefined {
    return listedFromCache && offlineError(ctx, what, listedFromCache.unreachable);
  }

  return {
    kind: "hub",
    id,
    label: `hub:${id}@${revision}`,
    resolveFile: resolveFile as ModelSource["resolveFile"],
    listFiles,
    incompleteListingError,
  };
}

function normalizeEndpoint(endpoint: string): string {
  const trimmed = endpoint.trim().replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(`Hub endpoint "${endpoint}" is not an http(s) URL`, {
      hint: `pass an endpoint such as "${DEFAULT_HUB_ENDPOINT}" (option { endpoint } or env HF_ENDPOINT)`,
    });
  }
  return trimmed;
}
