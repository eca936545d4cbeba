import { UsageError } from "../errors.js";
import { type CliIO, readAll } from "../io.js";

/**
 * The command's input text: its positional arguments joined with spaces, or, when there are none, all of stdin
 * (unless stdin is a terminal). Trailing whitespace (the newline of `echo`, of a file) is dropped; leading
 * whitespace is kept, so the character offsets of `ner` and `qa` index the text exactly as given. No text at all is a
 * {@link UsageError}.
 *
 * @example
 * const text = await inputText(args.positionals, io, "classify", "text to classify");
 */
export async function inputText(positionals: readonly string[], io: CliIO, command: string, what: string): Promise<string> {
  const text = positionals.length > 0 ? positionals.join(" ") : io.stdin.isTTY ? "" : await readAll(io.stdin);
  if (text.trim() === "") throw new UsageError(`no ${what}: pass it as an argument or on stdin`, command);
  return text.trimEnd();
}

/**
 * Several inputs, for `--lines`: one per positional argument, or one per non-empty line of stdin.
 *
 * @example
 * const texts = await inputLines(args.positionals, io, "classify", "texts");
 */
export async function inputLines(positionals: readonly string[], io: CliIO, command: string, what: string): Promise<string[]> {
  if (positionals.length > 0) return positionals.map((p) => p.trim()).filter((p) => p !== "");
  const text = await inputText(positionals, io, command, what);
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}
