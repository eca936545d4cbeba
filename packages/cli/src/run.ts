import { readFileSync } from "node:fs";
import { ChooserError } from "@proj/chooser";
import { AbortError, ProjError } from "@proj/core";
import { parseFlags } from "./args/flags.js";
import type { Command } from "./commands/command.js";
import { COMMANDS } from "./commands/index.js";
import { resolveCommand } from "./commands/task-commands.js";
import { EXIT_CODES, UsageError } from "./errors.js";
import { commandHelp, mainHelp } from "./help.js";
import type { CliIO } from "./io.js";

/**
 * Runs `proj` with its arguments (without `node` and the script) and resolves to the exit code: 0 done, 1 the work
 * failed (the message and a hint go to stderr), 2 a wrong command line (the usage goes to stderr), 130 interrupted.
 *
 * @example
 * process.exitCode = await runCli(["classify", "I love this movie"], processIO());
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" && rest[0] !== undefined ? resolveCommand(rest[0], COMMANDS)?.command : undefined;
    (name === undefined ? io.stderr : io.stdout).write(topic ? commandHelp(topic) : mainHelp());
    return name === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${version()}\n`);
    return EXIT_CODES.ok;
  }
  const resolved = resolveCommand(name, COMMANDS);
  if (!resolved) return usageError(io, new UsageError(`unknown command "${name}"`));
  const { command } = resolved;
  const commandArgs = [...resolved.args, ...rest];
  try {
    if (command.passThrough) {
      // The command's own help, not its delegate's: `proj bench --help` describes what `proj bench` passes on.
      if (commandArgs.includes("--help") || commandArgs.includes("-h")) {
        io.stdout.write(commandHelp(command));
        return EXIT_CODES.ok;
      }
      return await command.run({ values: {}, positionals: commandArgs }, io);
    }
    const args = parseFlags(commandArgs, command.flags, command.name);
    if (args.values.help === true) {
      io.stdout.write(commandHelp(command));
      return EXIT_CODES.ok;
    }
    return await command.run(args, io);
  } catch (error) {
    return failure(io, error, command);
  }
}

function failure(io: CliIO, error: unknown, command: Command): number {
  if (error instanceof UsageError) return usageError(io, error, command);
  // isInstance, not instanceof: errors from a second copy of @proj/core (its ESM and CommonJS builds) count too.
  if (AbortError.isInstance(error)) {
    io.stderr.write("\ninterrupted\n");
    return EXIT_CODES.interrupted;
  }
  if (ProjError.isInstance(error) || error instanceof ChooserError) {
    // Core's messages may already end with their hint; print it once.
    const hint = error.hint && !error.message.includes(error.hint) ? `hint: ${error.hint}\n` : "";
    io.stderr.write(`proj ${command.name}: ${error.message}\n${hint}`);
    return EXIT_CODES.failure;
  }
  const message = error instanceof Error ? (io.env.PROJ_DEBUG ? (error.stack ?? error.message) : error.message) : String(error);
  io.stderr.write(`proj ${command.name}: ${message}\n`);
  return EXIT_CODES.failure;
}

function usageError(io: CliIO, error: UsageError, command?: Command): number {
  const help = command ?? COMMANDS.find((c) => c.name === error.command);
  io.stderr.write(`proj: ${error.message}\n\n${help ? commandHelp(help) : mainHelp()}`);
  return EXIT_CODES.usage;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}
