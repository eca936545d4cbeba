/**
 * Exit codes of `proj`, as a shell user expects them: 0 success, 1 the work failed (model not found, bad model
 * files, offline, a runtime error), 2 the command line was wrong (unknown flag, bad value, missing input, with the
 * usage printed), 130 interrupted with Ctrl-C.
 *
 * @example
 * if (code === EXIT_CODES.usage) console.error("see proj --help");
 */
export const EXIT_CODES = {
  /** Done. */
  ok: 0,
  /** The work failed: model not found, bad model files, offline, a runtime error. */
  failure: 1,
  /** The command line was wrong; the usage was printed. */
  usage: 2,
  /** Interrupted with Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/**
 * A wrong command line: an unknown command or flag, a bad flag value, or missing input. The CLI prints the
 * message and the command's usage, and exits with 2.
 *
 * @example
 * throw new UsageError("--top-k must be a positive integer, got \"x\"", "classify");
 */
export class UsageError extends Error {
  /** The command whose usage to print, when known. */
  readonly command: string | undefined;

  /**
   * @param message - what was wrong.
   * @param command - the command whose usage applies.
   */
  constructor(message: string, command?: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}
