/**
 * What a stream says about the terminal behind it (Node's TTY streams have these fields).
 *
 * @example
 * const live = (io.stderr as TerminalInfo).isTTY === true;
 */
export interface TerminalInfo {
  /** True when the stream is a terminal (progress bars, interactive chat). */
  isTTY?: boolean;
  /** Width of the terminal in characters. */
  columns?: number;
}

/**
 * Where the CLI reads and writes: the process's streams, or test doubles.
 *
 * @example
 * const code = await runCli(["classify", "I love it"], processIO());
 */
export interface CliIO {
  /** Input text when no argument gives it (and chat turns when not a terminal). */
  stdin: NodeJS.ReadableStream & TerminalInfo;
  /** Results. */
  stdout: NodeJS.WritableStream & TerminalInfo;
  /** Progress, warnings, errors and usage. */
  stderr: NodeJS.WritableStream & TerminalInfo;
  /** Environment variables (`NO_COLOR`, Hub settings). */
  env: Readonly<Record<string, string | undefined>>;
  /** The working directory, for relative paths. */
  cwd: string;
}

/**
 * The real process's streams, environment and working directory.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), processIO());
 */
export function processIO(): CliIO {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/**
 * Reads a whole stream as UTF-8 text.
 *
 * @example
 * const text = await readAll(io.stdin);
 */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
