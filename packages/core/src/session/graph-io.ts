import { ModelFormatError } from "../errors.js";
import type { ModelSession } from "./model-session.js";

/** What a runner feeds a graph and reads from it, for {@link checkGraphIo}. */
export interface GraphIoSpec {
  /** What the runner is, for messages: `"a decoder-only generation step"`. */
  role: string;
  /** True for the input names the runner knows how to feed. */
  feeds: (name: string) => boolean;
  /** Inputs the runner always feeds: the graph must declare them. */
  required: readonly string[];
  /** Outputs the runner reads. */
  outputs: readonly string[];
  /** How to get a graph that fits (the Optimum export task). */
  hint: string;
}

/**
 * Checks a graph's declared inputs and outputs against what a runner feeds and reads, when the model is opened,
 * so that a graph exported for another task fails with a {@link ModelFormatError} naming the file and the input or
 * output, instead of an error on the first forward pass that blames the caller's input.
 *
 * @example
 * checkGraphIo(session, { role: "a decoder-only generation step", feeds: (n) => n === "input_ids", required: ["input_ids"], outputs: ["logits"], hint: "..." });
 */
export function checkGraphIo(session: ModelSession, spec: GraphIoSpec): void {
  const declared = `its inputs are ${session.inputNames.join(", ") || "none"}; its outputs are ${session.outputNames.join(", ") || "none"}`;
  const unknown = session.inputNames.find((name) => !spec.feeds(name));
  if (unknown !== undefined) {
    throw new ModelFormatError(`${session.file} declares the input "${unknown}", which ${spec.role} does not feed (${declared})`, {
      hint: spec.hint,
    });
  }
  const missing = spec.required.find((name) => !session.hasInput(name));
  if (missing !== undefined) {
    throw new ModelFormatError(`${session.file} has no input "${missing}", which ${spec.role} feeds (${declared})`, { hint: spec.hint });
  }
  const absent = spec.outputs.find((name) => !session.outputNames.includes(name));
  if (absent !== undefined) {
    throw new ModelFormatError(`${session.file} has no output "${absent}", which ${spec.role} reads (${declared})`, { hint: spec.hint });
  }
}
