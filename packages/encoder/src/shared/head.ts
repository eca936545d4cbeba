import { InputError, type ModelSession } from "@proj/core";
import type { TaskInfo } from "./task.js";

/**
 * An output a task head must have, with its rank (batch axis included).
 *
 * @example
 * const head: HeadOutput = { name: "logits", rank: 2 };
 * @internal
 */
export interface HeadOutput {
  name: string;
  rank: number;
}

/**
 * Guesses which task a graph's outputs serve, for messages that say what to use instead.
 *
 * @example
 * guessTask(session, 30522); // "token classification: use ner()"
 * @internal
 */
export function guessTask(session: ModelSession, vocabSize: number | undefined): string {
  const byName = new Map(session.outputs.map((o) => [o.name, o]));
  if (byName.has("start_logits") && byName.has("end_logits")) return "question answering: use answer()";
  const logits = byName.get("logits");
  if (logits) {
    if (logits.shape.length === 2) return "text classification: use classify()";
    if (logits.shape.length === 3) {
      const last = logits.shape[2];
      if (typeof last === "number" && vocabSize !== undefined && last >= vocabSize)
        return "fill-mask (a masked language model): use fillMask()";
      return "token classification: use ner()";
    }
  }
  if (byName.has("last_hidden_state")) return "feature extraction (no task head)";
  return `outputs ${session.outputNames.join(", ")}`;
}

/**
 * Throws {@link InputError} when a graph lacks the outputs a task head produces, or has them with another rank:
 * the model was exported for another task.
 *
 * @example
 * requireHead(session, [{ name: "logits", rank: 2 }], label, vocabSize, CLASSIFY_TASK);
 * @internal
 */
export function requireHead(
  session: ModelSession,
  wanted: readonly HeadOutput[],
  label: string,
  vocabSize: number | undefined,
  task: TaskInfo,
): void {
  for (const want of wanted) {
    const spec = session.outputs.find((o) => o.name === want.name);
    const rankKnown = spec !== undefined && spec.shape.length > 0;
    if (spec && (!rankKnown || spec.shape.length === want.rank)) continue;
    const found = spec ? `"${want.name}" of rank ${spec.shape.length} [${spec.shape.join(", ")}]` : `no output "${want.name}"`;
    throw new InputError(
      `${task.fn}() needs a ${task.what} head (output "${want.name}" of rank ${want.rank}), but ${label} has ${found}; it looks like a model for ${guessTask(session, vocabSize)}`,
      {
        hint: `pass a model exported for ${task.exportTask} (optimum-cli export onnx --task ${task.exportTask}), such as "${task.example}"`,
      },
    );
  }
}
