import { InputError, ModelFormatError } from "../../errors.js";
import type { ModelSession, TensorMap } from "../../session/model-session.js";
import { int64Tensor } from "../../session/tensors.js";
import type { EncoderMemory } from "../cache/decoder-cache.js";

/**
 * Runs an encoder-decoder's encoder once over a batch of inputs, right-padded with `padId` and masked, and
 * returns the memory the decoder reads every step (cross-attention key/values are filled in by the first step).
 *
 * @example
 * const memory = await runEncoder(model.session("encoder_model"), [[8774, 1], [37, 1]], 0n);
 */
export async function runEncoder(
  encoder: ModelSession,
  inputs: readonly (readonly number[])[],
  padId: bigint,
  signal?: AbortSignal,
): Promise<EncoderMemory> {
  if (inputs.length === 0) throw new InputError("No inputs to encode", { hint: "pass at least one input" });
  const rows = inputs.length;
  const width = Math.max(...inputs.map((ids) => ids.length));
  if (width === 0 || inputs.some((ids) => ids.length === 0)) {
    throw new InputError("An encoder input has no tokens", { hint: "pass non-empty text" });
  }
  const ids = new BigInt64Array(rows * width).fill(padId);
  const mask = new BigInt64Array(rows * width);
  inputs.forEach((row, r) => {
    row.forEach((id, i) => {
      ids[r * width + i] = BigInt(id);
      mask[r * width + i] = 1n;
    });
  });
  const feeds: TensorMap = { input_ids: int64Tensor(ids, [rows, width]) };
  if (encoder.hasInput("attention_mask")) feeds.attention_mask = int64Tensor(mask, [rows, width]);
  const outputs = await encoder.run(feeds, { signal });
  const hidden = outputs.last_hidden_state ?? outputs[encoder.outputNames[0] ?? ""];
  if (hidden?.dims.length !== 3 || hidden.dims[0] !== rows || hidden.dims[1] !== width) {
    throw new ModelFormatError(`${encoder.file} must output "last_hidden_state" [batch, sequence, hidden]`, {
      hint: "use the encoder_model.onnx of an Optimum text2text-generation export",
    });
  }
  return { hiddenStates: hidden, mask, crossKv: undefined };
}
