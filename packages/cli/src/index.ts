export { runCli } from "./run.js";
export { type CliIO, processIO, readAll, type TerminalInfo } from "./io.js";
export { EXIT_CODES, UsageError } from "./errors.js";
export type { Command } from "./commands/command.js";
export { COMMANDS } from "./commands/index.js";
export { commandHelp, mainHelp } from "./help.js";
export { type Flag, type Flags, flagHelp, type ParsedArgs, parseFlags } from "./args/flags.js";
export { findBenchScript } from "./commands/bench.js";
