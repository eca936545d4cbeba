import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { keepLastPositionLogits } from "./last-position-logits.js";
import { decodeModel, encodedSize, encodeModel, hasExternalData } from "./onnx-proto.js";

/** A decoder graph rewritten to compute logits at the last position only, or why it was not. */
export type LastPositionGraph =
  | {
      /** The rewritten model, for `InferenceSession.create(bytes)`. */
      bytes: Uint8Array;
      /** The LM heads changed (node names, with the If branch for merged decoders). */
      where: string[];
      /** The folder external weights are read from, when the model keeps its weights beside it (`model.onnx_data`). */
      externalDataFolder: string | undefined;
    }
  | { bytes?: undefined; reason: string };

/**
 * Reads an ONNX decoder file and rewrites it in memory with {@link keepLastPositionLogits}; the file is not changed
 * and nothing is written to disk. Weights stay views of the file's bytes until the model is encoded again (one copy),
 * and weights in external files (`model.onnx_data`, models over 2 GB) stay there: the result names their folder.
 * A model that this code cannot re-encode exactly as it was (fields newer than the vendored ONNX 1.12 schema) is
 * left alone. `read`: the file's bytes when the caller has already read them.
 *
 * @example
 * const graph = await lastPositionGraph("/models/gpt2/onnx/model.onnx");
 * const session = graph.bytes ? await InferenceSession.create(graph.bytes) : await InferenceSession.create(file);
 */
export async function lastPositionGraph(file: string, read?: Uint8Array): Promise<LastPositionGraph> {
  const bytes = read ?? (await readFile(file));
  let model: ReturnType<typeof decodeModel>;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    return { reason: `it could not be decoded as an ONNX model (${(error as Error).message})` };
  }
  // protobufjs drops fields it does not know: a model must come back byte for byte the same size unchanged.
  const size = encodedSize(model);
  if (size !== bytes.length) {
    return { reason: `re-encoding it unchanged gives ${size} bytes instead of ${bytes.length} (fields newer than ONNX 1.12's schema?)` };
  }
  const result = keepLastPositionLogits(model);
  if (!result.changed) return { reason: result.reason };
  return {
    bytes: encodeModel(model),
    where: result.where,
    externalDataFolder: model.graph && hasExternalData(model.graph) ? dirname(file) : undefined,
  };
}
