import { resolveTask, taskRow } from "@proj/chooser";
import { defaultModelFor, pipeline, type PipelineFor, type PipelineOptionsFor, type TaskName } from "@proj/pipeline";
import { pipelineOptions } from "../args/common.js";
import type { Flags, ParsedArgs } from "../args/flags.js";
import { booleanFlag } from "../args/values.js";
import type { CliIO } from "../io.js";
import { Progress } from "../output/progress.js";

/**
 * One `proj` command: its name, help, flags, and what it does. `run` resolves to the exit code.
 *
 * @example
 * const code = await COMMANDS.classify.run(parseFlags(argv, COMMANDS.classify.flags, "classify"), io);
 */
export interface Command {
  /** The command word, e.g. `"classify"`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage lines, e.g. `proj classify [text...] [flags]`. */
  usage: string;
  /** Examples shown in help. */
  examples: readonly string[];
  /** Its flags. */
  flags: Flags;
  /** Hand every argument through unparsed (as `bench` does to `benchmarks/run.mjs`). */
  passThrough?: boolean;
  /** Runs it; resolves to the exit code. */
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

/**
 * Loads a task's pipeline from the model flags, with progress on stderr.
 *
 * @example
 * const classify = await loadPipeline("text-classification", args, io, "classify");
 */
export async function loadPipeline<N extends TaskName>(
  task: N,
  args: ParsedArgs,
  io: CliIO,
  command: string,
  extra: Partial<PipelineOptionsFor<N>> = {},
): Promise<PipelineFor<N>> {
  const progress = new Progress(io, booleanFlag(args, "quiet"));
  const options = { ...pipelineOptions(args, command, progress.download), ...extra } as PipelineOptionsFor<N>;
  progress.loading(options.model ?? defaultModelFor(taskRow(task), resolveTask(task), options));
  try {
    return await pipeline(task, options);
  } finally {
    progress.done();
  }
}

/**
 * Writes a value as indented JSON and a newline.
 *
 * @example
 * printJson(io, { label: "POSITIVE", score: 0.99 });
 */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Runs `work` with an `AbortSignal` fired by Ctrl-C (SIGINT), so a generation in progress stops cleanly.
 *
 * @example
 * const result = await withInterrupt((signal) => generate(prompt, { signal }));
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; interrupted: boolean }> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on("SIGINT", onSignal);
  try {
    const value = await work(controller.signal);
    return { value, interrupted: controller.signal.aborted };
  } finally {
    process.off("SIGINT", onSignal);
  }
}
