import { existsSync } from "node:fs";
import { InputError } from "../../errors.js";

/**
 * Hub repository ids and revisions: parsing, validation, and telling a Hub id from a local path.
 * The rules are those of huggingface_hub's `validate_repo_id`.
 */

/** A parsed Hub repository id. */
export interface HubRepoId {
  /** The id as given, e.g. `"Xenova/bert-base-uncased"`. */
  id: string;
  /** The user or organization, e.g. `"Xenova"`; `undefined` for legacy ids without one (`"gpt2"`). */
  owner: string | undefined;
  /** The repository name, e.g. `"bert-base-uncased"`. */
  name: string;
}

/** One id segment: word characters, `-` and `.`, starting and ending with a word character. */
const SEGMENT = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const MAX_ID_LENGTH = 96;
const COMMIT_HASH = /^[0-9a-f]{40}$/;

/**
 * Why `id` is not a valid Hub id, or `undefined` when it is.
 */
function hubIdProblem(id: string): string | undefined {
  if (id.length === 0) return "it is empty";
  if (id.length > MAX_ID_LENGTH) return `it is longer than ${MAX_ID_LENGTH} characters`;
  const parts = id.split("/");
  if (parts.length > 2) return 'it has more than one "/"';
  for (const part of parts) {
    if (!SEGMENT.test(part)) {
      return 'each part may hold only letters, digits, "_", "-" and ".", and must start and end with a letter, digit or "_"';
    }
  }
  if (id.includes("--") || id.includes("..")) return 'it contains "--" or ".."';
  return undefined;
}

/**
 * Parses and validates a Hub repository id (`"org/name"`, or a legacy `"name"`).
 * Throws {@link InputError} when the id is not valid.
 *
 * @example
 * parseHubId("Xenova/bert-base-uncased");
 * // { id: "Xenova/bert-base-uncased", owner: "Xenova", name: "bert-base-uncased" }
 */
export function parseHubId(id: string): HubRepoId {
  const problem = hubIdProblem(id);
  if (problem !== undefined) {
    throw new InputError(`"${id}" is not a valid Hugging Face Hub id: ${problem}`, {
      hint: 'pass an id of the form "org/name" (e.g. "Xenova/bert-base-uncased"), or the path of a local folder starting with "./" or "/"',
    });
  }
  const slash = id.indexOf("/");
  return slash < 0 ? { id, owner: undefined, name: id } : { id, owner: id.slice(0, slash), name: id.slice(slash + 1) };
}

/**
 * True when `value` names a Hub repository rather than a local folder. A value is local when it
 * exists on disk, starts with `.`, `/` or `~`, or contains `\`; otherwise it is a Hub id when it
 * is a valid one.
 *
 * @example
 * isHubId("Xenova/bert-base-uncased"); // true
 * isHubId("./models/bert");            // false
 */
export function isHubId(value: string): boolean {
  if (value.startsWith(".") || value.startsWith("/") || value.startsWith("~") || value.includes("\\")) return false;
  if (hubIdProblem(value) !== undefined) return false;
  return !existsSync(value);
}

/**
 * True when `revision` is a full 40-character commit hash rather than a branch or tag name.
 *
 * @example
 * isCommitHash("main"); // false
 */
export function isCommitHash(revision: string): boolean {
  return COMMIT_HASH.test(revision);
}

/**
 * Validates a revision (branch, tag or commit hash). Throws {@link InputError} when it is empty
 * or could escape the cache folder.
 *
 * @example
 * validateRevision("refs/pr/1"); // ok
 */
export function validateRevision(revision: string): void {
  const segments = revision.split("/");
  if (revision.length === 0 || revision.includes("\\") || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new InputError(`"${revision}" is not a valid Hub revision`, {
      hint: 'pass a branch name ("main"), a tag, or a 40-character commit hash as { revision }',
    });
  }
}

/**
 * Validates the path of a file inside a repository (`/`-separated, relative, no `..`) and
 * returns it. Throws {@link InputError} otherwise.
 *
 * @example
 * validateRepoPath("onnx/model.onnx"); // "onnx/model.onnx"
 */
export function validateRepoPath(path: string): string {
  const segments = path.split("/");
  if (path.length === 0 || path.includes("\\") || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new InputError(`File path "${path}" is not a valid path inside a Hub repository`, {
      hint: 'pass a relative path with "/" separators and no "..", such as "onnx/model.onnx"',
    });
  }
  return path;
}
