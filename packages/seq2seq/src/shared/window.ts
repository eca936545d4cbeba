import type { LoadedModel } from "@proj/core";

/** Window of an encoder that declares none (T5's usual 512). */
const FALLBACK_WINDOW = 512;

/**
 * The longest input the model's encoder reads, in tokens (special tokens included): the smaller of the
 * tokenizer's `model_max_length` and the position embeddings, else 512.
 *
 * @internal
 */
export function encoderWindow(model: LoadedModel): number {
  return model.maxLength !== undefined && model.maxLength > 0 ? model.maxLength : FALLBACK_WINDOW;
}
