import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import type { ParsedArgs } from "./flags.js";
import { stringFlag } from "./values.js";

/**
 * The text of the file a flag names (relative to the working folder), or `undefined` when the flag is not given; a
 * file that cannot be read is a usage error naming the flag, the file and why.
 *
 * @example
 * const chatTemplate = await fileFlag(args, "chat-template", io, "serve"); // --chat-template chatml.jinja
 */
export async function fileFlag(args: ParsedArgs, name: string, io: CliIO, command: string): Promise<string | undefined> {
  const file = stringFlag(args, name);
  if (file === undefined) return undefined;
  try {
    return await readFile(resolve(io.cwd, file), "utf8");
  } catch (error) {
    throw new UsageError(`--${name}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, command);
  }
}
