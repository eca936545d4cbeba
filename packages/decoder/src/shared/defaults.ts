import { embeddedModelOr } from "@proj/models";

/**
 * Hub model used by {@link generate} and {@link stream} when no `model` is given and the embedded caption model of
 * `@proj/models` is not installed; also the general-English model to pass as `model` for text beyond image captions.
 */
export const DEFAULT_GENERATION_MODEL = "Xenova/distilgpt2";

/** Hub model used by {@link chat} when no `model` is given (it has a chat template; no embedded model has one). */
export const DEFAULT_CHAT_MODEL = "onnx-community/Qwen2.5-0.5B-Instruct";

/**
 * The model {@link generate} and {@link stream} load when no `model` is given: the small caption language model
 * embedded in `@proj/models` (trained here, works offline) when installed, else {@link DEFAULT_GENERATION_MODEL}.
 *
 * @example
 * defaultGenerationModel(); // ".../node_modules/@proj/models/models/generation"
 */
export function defaultGenerationModel(): string {
  return embeddedModelOr("generation", DEFAULT_GENERATION_MODEL);
}
