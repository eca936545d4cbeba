import type { RawModelConfig } from "../tasks/types.js";
import { numberField } from "./fields.js";

/**
 * The names Hugging Face `config.json` files give one quantity, by model type (GPT-2 says `n_embd`, T5 `d_model`,
 * BERT `hidden_size` ...), first match wins. The one list `@proj/core`'s `parseModelConfig` and the chooser's
 * `modelShape` read configs with.
 *
 * @example
 * CONFIG_FIELD_ALIASES.contextLength; // ["max_position_embeddings", "n_positions", "n_ctx", "max_seq_len", "seq_length"]
 */
export const CONFIG_FIELD_ALIASES = {
  /** Hidden (model) size. */
  hiddenSize: ["hidden_size", "n_embd", "d_model", "dim"],
  /** Vocabulary size of the embedding (`padded_vocab_size`: ChatGLM). */
  vocabSize: ["vocab_size", "n_vocab", "padded_vocab_size"],
  /** Longest sequence the positions allow (`seq_length`: ChatGLM, Qwen-1). */
  contextLength: ["max_position_embeddings", "n_positions", "n_ctx", "max_seq_len", "seq_length"],
  /** Layers of a single-stack (encoder-only or decoder-only) model. */
  numLayers: ["num_hidden_layers", "n_layer", "num_layers", "n_layers"],
  /** Attention (query) heads of a single-stack model. */
  numHeads: ["num_attention_heads", "n_head", "num_heads", "n_heads"],
  /** Key/value heads (grouped-query attention); absent means as many as the query heads. */
  numKeyValueHeads: ["num_key_value_heads", "num_kv_heads", "n_head_kv"],
  /** Size of one attention head, when the config gives it (else hidden size / heads). */
  headDim: ["head_dim", "d_kv"],
  /** Inner size of a single-stack model's feed-forward block. */
  intermediateSize: ["intermediate_size", "n_inner", "ffn_dim"],
  /** Encoder layers of an encoder-decoder model. */
  encoderLayers: ["encoder_layers", "num_layers", "num_hidden_layers"],
  /** Decoder layers of an encoder-decoder model. */
  decoderLayers: ["decoder_layers", "num_decoder_layers", "num_layers", "num_hidden_layers"],
  /** Encoder attention heads of an encoder-decoder model. */
  encoderHeads: ["encoder_attention_heads", "num_heads", "num_attention_heads"],
  /** Decoder attention heads of an encoder-decoder model. */
  decoderHeads: ["decoder_attention_heads", "num_heads", "num_attention_heads"],
  /** Encoder feed-forward size of an encoder-decoder model. */
  encoderFfn: ["encoder_ffn_dim", "d_ff", "intermediate_size"],
  /** Decoder feed-forward size of an encoder-decoder model. */
  decoderFfn: ["decoder_ffn_dim", "d_ff", "intermediate_size"],
} as const satisfies Record<string, readonly string[]>;

/**
 * A quantity of {@link CONFIG_FIELD_ALIASES}.
 *
 * @example
 * const field: ConfigField = "contextLength";
 */
export type ConfigField = keyof typeof CONFIG_FIELD_ALIASES;

/**
 * Reads a quantity from a `config.json` object under any of its names ({@link CONFIG_FIELD_ALIASES}).
 *
 * @example
 * configNumber({ model_type: "chatglm", seq_length: 8192 }, "contextLength"); // 8192
 */
export function configNumber(raw: RawModelConfig, field: ConfigField): number | undefined {
  return numberField(raw, ...CONFIG_FIELD_ALIASES[field]);
}
