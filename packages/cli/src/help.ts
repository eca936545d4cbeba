import { TASK_TABLE } from "@proj/chooser";
import { flagHelp } from "./args/flags.js";
import type { Command } from "./commands/command.js";
import { COMMANDS } from "./commands/index.js";
import { resolveCommand, taskNamesOf } from "./commands/task-commands.js";

/** The commands whose task has a model embedded in `@proj/models` (the chooser's `embeddedModel`), as typed. */
function embeddedCommands(): string[] {
  const lines = TASK_TABLE.filter((row) => row.embeddedModel !== undefined).map((row) => row.servedBy.cli.replace(/^proj\s+/, ""));
  return [...new Set(lines)];
}

/** Wraps words into lines of at most `width` characters. */
function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/**
 * The top-level usage: every command with its one-line summary, where default models come from, and the task names
 * that work as commands.
 *
 * @example
 * io.stdout.write(mainHelp());
 */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const embedded = embeddedCommands();
  const taskNames = COMMANDS.flatMap((c) => taskNamesOf(c.name, COMMANDS));
  return [
    "proj: NLP with transformer models running locally on ONNX Runtime",
    "",
    "usage: proj <command> [arguments] [flags]",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    ...wrap(
      "Text comes from the arguments or stdin. Without --model each task uses its default model: the small model " +
        `embedded in @proj/models when the task has one (${embedded.join(", ")}; no download, works offline), else the ` +
        "task's default Hub model, downloaded once into the Hugging Face cache. --json prints machine-readable results.",
    ),
    "",
    ...wrap(`Task names work as commands too: ${taskNames.join(", ")}, and translation_<from>_to_<to>.`),
    "",
    "proj <command> --help shows a command's flags. proj --version prints the version.",
    "",
  ].join("\n");
}

/**
 * A command's usage, the task names that run it, its flags and examples.
 *
 * @example
 * io.stderr.write(commandHelp(COMMANDS[0]!));
 */
export function commandHelp(command: Command): string {
  const lines = [`proj ${command.name}: ${command.summary}`, "", `usage: ${command.usage}`, ""];
  const also = taskNamesOf(command.name, COMMANDS).map((name) => {
    const { args } = resolveCommand(name, COMMANDS) ?? { args: [] };
    return args.length ? `${name} (= ${command.name} ${args.join(" ")})` : name;
  });
  if (also.length) lines.push(`also as: ${also.map((a) => `proj ${a}`).join(", ")}`, "");
  if (Object.keys(command.flags).length) lines.push("flags:", flagHelp(command.flags), "");
  if (command.examples.length) lines.push("examples:", ...command.examples.map((e) => `  ${e}`), "");
  return lines.join("\n");
}
