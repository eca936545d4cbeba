import { parseArgs } from "node:util";
import { nearestName } from "@proj/core/internal";
import { UsageError } from "../errors.js";

/**
 * One command-line flag: its type, short letter, whether it repeats, and its help line.
 *
 * @example
 * const flag: Flag = { type: "string", short: "m", value: "id", description: "model folder or Hub id" };
 */
export interface Flag {
  /** `"string"` takes a value; `"boolean"` is a switch. */
  type: "string" | "boolean";
  /** One-letter alias (`-m`). */
  short?: string;
  /** The flag may be given several times. */
  multiple?: boolean;
  /** Placeholder of the value in help (`<id>`). */
  value?: string;
  /** The help line. */
  description: string;
}

/**
 * The flags of a command, by long name (without `--`).
 *
 * @example
 * const flags: Flags = { json: { type: "boolean", description: "print JSON" } };
 */
export type Flags = Readonly<Record<string, Flag>>;

/**
 * A parsed command line: flag values by long name, and the positional arguments.
 *
 * @example
 * const { values, positionals } = parseFlags(["--top-k", "3", "great film"], CLASSIFY_FLAGS, "classify");
 */
export interface ParsedArgs {
  /** Flag values: strings, booleans, or arrays of them for repeated flags. */
  values: Readonly<Record<string, string | boolean | Array<string | boolean> | undefined>>;
  /** Arguments that are not flags. */
  positionals: string[];
}

/**
 * Parses argv against a command's flags with `node:util`'s `parseArgs` (strict: an unknown flag or a missing value
 * is a {@link UsageError}).
 *
 * @example
 * parseFlags(["--nope"], { json: { type: "boolean", description: "" } }, "classify"); // throws UsageError: Unknown option '--nope'
 */
export function parseFlags(argv: readonly string[], flags: Flags, command: string, allowPositionals = true): ParsedArgs {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, flag] of Object.entries(flags)) {
    options[name] = { type: flag.type, ...(flag.short ? { short: flag.short } : {}), ...(flag.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    // As the SDK does for an unknown option: name the nearest known one (--top_k -> --top-k, --max-new-token -> --max-new-tokens).
    const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
    const near = unknown === undefined ? undefined : nearestName(unknown, Object.keys(flags));
    throw new UsageError(near ? `${message}; did you mean --${near}?` : message, command);
  }
}

/**
 * Renders flags as help lines: `  -m, --model <id>   model folder or Hub id`.
 *
 * @example
 * io.stderr.write(flagHelp(CLASSIFY_FLAGS));
 */
export function flagHelp(flags: Flags): string {
  const rows = Object.entries(flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : "    "}--${name}${f.type === "string" ? ` <${f.value ?? "value"}>` : ""}`;
    return [left, f.description + (f.multiple ? " (repeatable)" : "")] as const;
  });
  const width = Math.min(34, Math.max(...rows.map(([l]) => l.length)) + 2);
  return rows.map(([l, d]) => `  ${l.length + 2 > width ? `${l}  ` : l.padEnd(width)}${d}`).join("\n");
}
