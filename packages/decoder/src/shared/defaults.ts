/** Hub model used by {@link generate} and {@link stream} when no `model` is given. */
export const DEFAULT_GENERATION_MODEL = "Xenova/distilgpt2";

/** Hub model used by {@link chat} when no `model` is given (it has a chat template). */
export const DEFAULT_CHAT_MODEL = "onnx-community/Qwen2.5-0.5B-Instruct";
