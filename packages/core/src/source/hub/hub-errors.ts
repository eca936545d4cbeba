import type { IncomingMessage } from "node:http";
import { DownloadError, ModelNotFoundError, OfflineError, ProjError } from "../../errors.js";
import { RedirectLoopError, StalledError, UnreachableError } from "./hub-http.js";

/**
 * Turns Hub answers and network failures into the SDK's typed errors, with messages that name the
 * model and the file, and hints that say what to do.
 */

/** What an error message needs to know about the request. */
export interface HubErrorContext {
  id: string;
  revision: string;
  endpoint: string;
  cacheDir: string;
  /** Whether an `Authorization` header was sent to the endpoint. */
  tokenSent: boolean;
}

const LOCAL_HINT = "or pass the path of a local folder in the Optimum layout (config.json, tokenizer.json, onnx/*.onnx) instead";

function describe(ctx: HubErrorContext, file: string | undefined): string {
  const at = ctx.revision === "main" ? "" : ` at revision "${ctx.revision}"`;
  return file === undefined ? `the file list of Hub model ${ctx.id}${at}` : `"${file}" of Hub model ${ctx.id}${at}`;
}

/** The `X-Error-Code` the Hub sent, if any. */
export function hubErrorCode(response: IncomingMessage): string | undefined {
  const code = response.headers["x-error-code"];
  return typeof code === "string" ? code : undefined;
}

/**
 * True when a 4xx answer means "this file does not exist" (and not "this repository does not"):
 * the Hub's `X-Error-Code: EntryNotFound`, as huggingface_hub requires.
 *
 * @example
 * if (isEntryNotFound(response)) return undefined;
 */
export function isEntryNotFound(response: IncomingMessage): boolean {
  const code = hubErrorCode(response);
  return code === "EntryNotFound";
}

/**
 * The error for an HTTP answer of 400 or more from the Hub.
 *
 * @example
 * if ((response.statusCode ?? 0) >= 400) throw hubHttpError(ctx, "config.json", response);
 */
export function hubHttpError(ctx: HubErrorContext, file: string | undefined, response: IncomingMessage): ProjError {
  const status = response.statusCode ?? 0;
  const code = hubErrorCode(response);
  const what = describe(ctx, file);
  const repoUrl = `${ctx.endpoint}/${ctx.id}`;
  if (code === "RevisionNotFound") {
    return new ModelNotFoundError(`Revision "${ctx.revision}" does not exist in Hub repository ${ctx.id} (HTTP ${status})`, {
      hint: `pass an existing branch, tag or commit hash as { revision } (see ${repoUrl}/tree/main), or omit it to use "main"`,
    });
  }
  if (code === "EntryNotFound") {
    return file === undefined
      ? new ModelNotFoundError(`Hub repository ${ctx.id} was not found (HTTP ${status})`, { hint: `check the id; ${LOCAL_HINT}` })
      : missingFileError(ctx, file);
  }
  if (code === "GatedRepo") {
    return new ModelNotFoundError(
      `Hub repository ${ctx.id} is gated and ${ctx.tokenSent ? "the token given has no access to it" : "no token was given"} (HTTP ${status})`,
      {
        hint: `accept the conditions at ${repoUrl} and pass a token of that account (env HF_TOKEN or { token }), ${LOCAL_HINT}`,
      },
    );
  }
  if (code === "RepoNotFound" || code === "RepositoryNotFound" || status === 401 || status === 403) {
    const message = response.headers["x-error-message"];
    const badToken = ctx.tokenSent && typeof message === "string" && /invalid (credentials|username or password)/i.test(message);
    return new ModelNotFoundError(
      badToken
        ? `The Hub rejected the token given while fetching ${what} (HTTP ${status})`
        : `Hub repository ${ctx.id} does not exist or is private (HTTP ${status}, fetching ${what})`,
      {
        hint: badToken
          ? `pass a valid token (env HF_TOKEN or { token }), ${LOCAL_HINT}`
          : `check the id (the form is "org/name", e.g. "Xenova/bert-base-uncased"); for a private or gated repository pass a token (env HF_TOKEN or { token })${ctx.tokenSent ? " of an account with access" : ""}; for a model on disk pass its folder path starting with "./" or "/"`,
      },
    );
  }
  if (status === 404) {
    return new DownloadError(`${ctx.endpoint} answered HTTP 404 without the Hub's X-Error-Code header while fetching ${what}`, {
      status,
      hint: "the endpoint (env HF_ENDPOINT or { endpoint }) must be the Hugging Face Hub or a mirror that forwards its headers",
    });
  }
  return new DownloadError(`The Hub answered HTTP ${status} while fetching ${what}`, {
    status,
    hint:
      status === 429 || status >= 500 ? "the Hub is busy or down; try again later" : `check the endpoint ${ctx.endpoint} (env HF_ENDPOINT)`,
  });
}

/**
 * The error for a file the repository does not have.
 *
 * @example
 * throw missingFileError(ctx, "onnx/model.onnx");
 */
export function missingFileError(ctx: HubErrorContext, file: string): ModelNotFoundError {
  const at = ctx.revision === "main" ? "" : ` at revision "${ctx.revision}"`;
  return new ModelNotFoundError(`Hub repository ${ctx.id} has no file "${file}"${at}`, {
    hint: `check the file list at ${ctx.endpoint}/${ctx.id}/tree/${encodeURIComponent(ctx.revision)}; a model without an "onnx/" folder needs an ONNX export (often published as Xenova/... or onnx-community/...), ${LOCAL_HINT}`,
  });
}

/**
 * The error for a file that is not cached while offline (`HF_HUB_OFFLINE`, `{ offline: true }`),
 * or while the endpoint cannot be reached (pass the {@link UnreachableError}).
 *
 * @example
 * throw offlineError(ctx, "onnx/model.onnx");
 */
export function offlineError(ctx: HubErrorContext, file: string | undefined, unreachable?: UnreachableError): OfflineError {
  const what = describe(ctx, file);
  const fill = `run once with network to fill the cache at ${ctx.cacheDir}`;
  if (unreachable === undefined) {
    return new OfflineError(`Cannot get ${what}: offline mode is on and it is not in the Hugging Face cache`, {
      hint: `pass the path of a local folder in the Optimum layout instead, or ${fill} (without HF_HUB_OFFLINE=1 or { offline: true })`,
    });
  }
  return new OfflineError(`Cannot get ${what}: ${unreachable.message}, and it is not in the Hugging Face cache`, {
    cause: unreachable,
    hint: `check the network (or HF_ENDPOINT); pass the path of a local folder in the Optimum layout instead, or ${fill}`,
  });
}

/**
 * Wraps any failure of a transfer in a {@link DownloadError} naming the model and file
 * (typed SDK errors pass through; unreachable hosts become {@link OfflineError}).
 *
 * @example
 * catch (error) { throw downloadFailure(ctx, file, error); }
 */
export function downloadFailure(ctx: HubErrorContext, file: string | undefined, error: unknown): ProjError {
  if (error instanceof ProjError) return error;
  if (error instanceof UnreachableError) return offlineError(ctx, file, error);
  const what = describe(ctx, file);
  const reason = error instanceof Error ? error.message : String(error);
  const hint =
    error instanceof StalledError || error instanceof RedirectLoopError
      ? "try again; raise { timeoutMs } on a slow network"
      : "try again; an interrupted download resumes from the bytes already received";
  return new DownloadError(`Downloading ${what} failed: ${reason}`, { cause: error, hint });
}
