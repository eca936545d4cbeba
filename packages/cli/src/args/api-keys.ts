import { fileFlag } from "./file-flag.js";
import { UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import type { ParsedArgs } from "./flags.js";
import { listFlag, stringFlag } from "./values.js";

/**
 * The API keys `proj serve` asks clients for, from every place they may come from: `--api-key` (repeatable; visible
 * to other users in `ps`, so prefer the next two), the `PROJ_API_KEY` environment variable, and `--api-key-file`
 * (one key per line; blank lines and `#` comments are skipped). A file that holds no key is a {@link UsageError}.
 *
 * @example
 * const keys = await readApiKeys(args, io); // ["sk-local-1"] from PROJ_API_KEY=sk-local-1
 */
export async function readApiKeys(args: ParsedArgs, io: CliIO, command = "serve"): Promise<string[]> {
  const keys = listFlag(args, "api-key", false) ?? [];
  const fromEnv = io.env.PROJ_API_KEY?.trim();
  if (fromEnv) keys.push(fromEnv);
  const file = stringFlag(args, "api-key-file");
  const text = await fileFlag(args, "api-key-file", io, command);
  if (text !== undefined) {
    const fromFile = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#"));
    if (fromFile.length === 0) throw new UsageError(`--api-key-file: ${file} holds no key (one key per line)`, command);
    keys.push(...fromFile);
  }
  return [...new Set(keys)];
}
