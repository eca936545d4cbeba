import { isTaskName, resolveTask, TASK_ALIASES, TASK_TABLE, taskRow } from "@proj/chooser";
import type { Command } from "./command.js";

/** A command line word resolved to its command, with the arguments the word stands for. */
export interface ResolvedCommand {
  /** The command that runs. */
  command: Command;
  /** Arguments put before the user's: `--generative` for `generative-qa`, `--from en --to de` for `translation_en_to_de`. */
  args: string[];
}

/** The command and fixed arguments of a task's CLI line in the chooser's table (`"proj qa --generative"`). */
function cliOf(cli: string, commands: readonly Command[]): ResolvedCommand | undefined {
  const [, name, ...args] = cli.split(/\s+/);
  const command = commands.find((c) => c.name === name);
  return command ? { command, args } : undefined;
}

/**
 * The command a word names: a command's own name (`classify`), or any of the chooser's names of a task, which run
 * the command the chooser's table gives the task (`servedBy.cli`): `sentiment-analysis` and `text-classification`
 * run `classify`, `generative-qa` runs `qa --generative`, `translation_en_to_de` runs `translate --from en --to de`.
 *
 * @example
 * resolveCommand("ner", COMMANDS)?.command.name; // "ner"
 * resolveCommand("token-classification", COMMANDS)?.command.name; // "ner"
 */
export function resolveCommand(word: string, commands: readonly Command[]): ResolvedCommand | undefined {
  const own = commands.find((c) => c.name === word);
  if (own) return { command: own, args: [] };
  if (!isTaskName(word)) return undefined;
  const resolved = resolveTask(word);
  const found = cliOf(taskRow(resolved.task).servedBy.cli, commands);
  if (!found) return undefined;
  const pair = [...(resolved.from ? ["--from", resolved.from] : []), ...(resolved.to ? ["--to", resolved.to] : [])];
  return { command: found.command, args: [...found.args, ...pair] };
}

/**
 * The chooser's names of the tasks a command serves, other than the command's own name: what `proj <name>` also
 * accepts.
 *
 * @example
 * taskNamesOf("classify", COMMANDS); // ["text-classification", "sentiment-analysis"]
 */
export function taskNamesOf(command: string, commands: readonly Command[]): string[] {
  const names = [...TASK_TABLE.map((row) => row.task), ...Object.keys(TASK_ALIASES)];
  return names.filter((name) => name !== command && resolveCommand(name, commands)?.command.name === command);
}
