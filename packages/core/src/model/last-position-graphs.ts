import type { ArchitectureFamily } from "../config/family.js";

/** Graph names of a decoder step, in the layouts Optimum exports. */
const DECODER_GRAPHS = new Set(["model", "decoder_model", "decoder_model_merged", "decoder_with_past_model"]);

/**
 * True for the graphs whose `logits` generation reads only at the last position: the decoder graphs of decoder-only
 * and encoder-decoder models. {@link loadModel} opens them rewritten so that prefill computes the LM head for that
 * position only, unless `load: { fullLogits: true }` asks for the graph as exported (logits at every position, for
 * work that reads the prompt's own logits, such as perplexity or prompt log-probabilities).
 *
 * @example
 * readsLastPositionOnly("decoder", "model"); // true
 * readsLastPositionOnly("encoder", "model"); // false
 */
export function readsLastPositionOnly(family: ArchitectureFamily, graph: string): boolean {
  return family !== "encoder" && DECODER_GRAPHS.has(graph);
}
