import type { SequenceState } from "../sequence-state.js";

/**
 * Changes one sequence's next-token logits in place (a penalty, a ban, a forced token).
 * Processors touch only the entries they need; none allocates per step.
 */
export type LogitsProcessor = (logits: Float32Array, state: SequenceState) => void;

/**
 * Runs processors in order.
 *
 * @example
 * applyProcessors(processors, logits, state);
 */
export function applyProcessors(processors: readonly LogitsProcessor[], logits: Float32Array, state: SequenceState): void {
  for (const processor of processors) processor(logits, state);
}
