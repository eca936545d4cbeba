import { flagHelp } from "./args/flags.js";
import type { Command } from "./commands/command.js";
import { COMMANDS } from "./commands/index.js";

/**
 * The top-level usage: every command with its one-line summary.
 *
 * @example
 * io.stdout.write(mainHelp());
 */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    "proj: NLP with transformer models running locally on ONNX Runtime",
    "",
    "usage: proj <command> [arguments] [flags]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Text comes from the arguments or stdin. Without --model each task uses its default model",
    "(downloaded once into the Hugging Face cache). --json prints machine-readable results.",
    "",
    "proj <command> --help shows a command's flags. proj --version prints the version.",
    "",
  ].join("\n");
}

/**
 * A command's usage, flags and examples.
 *
 * @example
 * io.stderr.write(commandHelp(COMMANDS[0]!));
 */
export function commandHelp(command: Command): string {
  const lines = [`proj ${command.name}: ${command.summary}`, "", `usage: ${command.usage}`, ""];
  if (Object.keys(command.flags).length) lines.push("flags:", flagHelp(command.flags), "");
  if (command.examples.length) lines.push("examples:", ...command.examples.map((e) => `  ${e}`), "");
  return lines.join("\n");
}
