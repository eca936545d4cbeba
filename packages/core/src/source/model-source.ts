import type { ProjError } from "../errors.js";

/**
 * Where a model's files come from: a local folder in the Hugging Face/Optimum ONNX layout,
 * or a Hub repository downloaded once into the standard Hugging Face cache.
 */

/** Progress of one file download, reported by a Hub source. */
export interface DownloadProgress {
  /** Hub id of the model, e.g. `"Xenova/distilbert-base-uncased-finetuned-sst-2-english"`. */
  model: string;
  /** Path of the file inside the repository, e.g. `"onnx/model.onnx"`. */
  file: string;
  /** Bytes received so far. */
  loaded: number;
  /** Total bytes, when the server said (`Content-Length`). */
  total: number | undefined;
  /** `"start"` once, `"progress"` while bytes arrive, `"done"` once the file is in the cache. */
  status: "start" | "progress" | "done";
}

/** Options for fetching a file from a {@link ModelSource}. */
export interface ResolveFileOptions {
  /** When true, a missing file resolves to `undefined` instead of throwing. */
  optional?: boolean;
  /** Cancels a download in progress. */
  signal?: AbortSignal;
}

/** The files of one model, wherever they live. */
export interface ModelSource {
  /** `"local"` for a folder, `"hub"` for a Hub repository. */
  readonly kind: "local" | "hub";
  /** The folder path or Hub id the user gave. */
  readonly id: string;
  /** A human-readable name for messages: the folder or `hub:<id>@<revision>`. */
  readonly label: string;
  /**
   * Absolute path of a file on disk, downloading it first when the source is remote; `undefined` when the
   * file does not exist and `optional` is set.
   */
  resolveFile(path: string, options: ResolveFileOptions & { optional: true }): Promise<string | undefined>;
  /**
   * Absolute path of a file on disk, downloading it first when the source is remote.
   * Throws a ModelNotFoundError when the file does not exist.
   */
  resolveFile(path: string, options?: ResolveFileOptions): Promise<string>;
  /** Relative paths (with `/`) of every file the model has, e.g. `["config.json", "onnx/model.onnx"]`. */
  listFiles(options?: { signal?: AbortSignal }): Promise<string[]>;
  /**
   * For remote sources whose last {@link ModelSource.listFiles} answer came from a local cache (offline): the error
   * to throw instead of "the model has no such file" when `what` is missing from that listing, since the cache may
   * hold only part of the model. `undefined` when the listing is the source's complete file list.
   */
  incompleteListingError?(what: string): ProjError | undefined;
}
