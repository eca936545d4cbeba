import { Tensor } from "onnxruntime-node";
import type { IoSpec, ModelSession, TensorMap } from "../../session/model-session.js";
import { ModelFormatError } from "../../errors.js";
import { float16ToFloat32 } from "../../session/float16.js";

/** The past/present cache inputs and outputs of a decoder graph. */
export interface KvLayout {
  /** Past inputs (`past_key_values.*`), each with its present output name and fixed shape. */
  entries: KvEntry[];
}

/** One cache tensor of the graph. */
export interface KvEntry {
  /** Input name, e.g. `past_key_values.0.key` or `past_key_values.0.encoder.value`. */
  past: string;
  /** Output name, e.g. `present.0.key`. */
  present: string;
  /** Key/value heads (axis 1). */
  heads: number;
  /** Head size (axis 3). */
  headDim: number;
  /** Element type. */
  type: "float32" | "float16";
  /** True for cross-attention (encoder) entries of encoder-decoder graphs. */
  cross: boolean;
}

/**
 * Reads the cache layout from a session's declared inputs; heads and head size come from the graph's fixed
 * dimensions, or from the config when the graph leaves them symbolic.
 *
 * @example
 * const layout = kvLayout(session, { heads: 2, headDim: 8 });
 */
export function kvLayout(session: ModelSession, fallback: { heads: number; headDim: number } | undefined): KvLayout {
  const outputs = new Set(session.outputNames);
  const entries: KvEntry[] = [];
  for (const input of session.inputs) {
    if (!input.name.startsWith("past_key_values")) continue;
    const present = input.name.replace("past_key_values", "present");
    const heads = fixedDim(input, 1) ?? fallback?.heads;
    const headDim = fixedDim(input, 3) ?? fallback?.headDim;
    if (heads === undefined || headDim === undefined) {
      throw new ModelFormatError(`${session.file}: cannot tell the heads and head size of input "${input.name}"`, {
        hint: "config.json must give num_attention_heads/num_key_value_heads and hidden_size or head_dim",
      });
    }
    entries.push({
      past: input.name,
      present: outputs.has(present) ? present : input.name,
      heads,
      headDim,
      type: input.type === "float16" ? "float16" : "float32",
      cross: input.name.includes(".encoder."),
    });
  }
  return { entries };
}

function fixedDim(spec: IoSpec, axis: number): number | undefined {
  const dim = spec.shape[axis];
  return typeof dim === "number" && dim > 0 ? dim : undefined;
}

/**
 * Empty cache tensors (`[rows, heads, 0, headDim]`) for a first forward pass.
 *
 * @example
 * Object.assign(feeds, emptyPast(layout.entries, 4));
 */
export function emptyPast(entries: readonly KvEntry[], rows: number): TensorMap {
  const feeds: TensorMap = {};
  for (const e of entries) {
    feeds[e.past] =
      e.type === "float16"
        ? new Tensor("float16", new Uint16Array(0), [rows, e.heads, 0, e.headDim])
        : new Tensor("float32", new Float32Array(0), [rows, e.heads, 0, e.headDim]);
  }
  return feeds;
}

/**
 * Views of the last position's logits of each row of a `[rows, length, vocab]` output: the graph as exported
 * (every position), or `[rows, 1, vocab]` from a graph opened with only the last position's logits
 * ({@link ModelSession.lastPositionLogits}); position `length - 1` is each row's last token either way.
 *
 * @example
 * const rows = lastLogits(outputs.logits); // rows[i].length === vocab
 */
export function lastLogits(logits: Tensor | undefined, file: string): Float32Array[] {
  if (!logits || (logits.type !== "float32" && logits.type !== "float16") || logits.dims.length !== 3) {
    throw new ModelFormatError(`${file} must output "logits" as float32 or float16 [batch, sequence, vocab] (or [batch, 1, vocab])`, {
      hint: "export the model with its language-modeling head (Optimum task text-generation-with-past / text2text-generation-with-past)",
    });
  }
  const [rows = 0, length = 0, vocab = 0] = logits.dims;
  // fp16 exports return half-precision logits: decode them (only the rows' last positions) to float32.
  if (logits.type === "float16") {
    const half = logits.data as Uint16Array;
    return Array.from({ length: rows }, (_, r) =>
      float16ToFloat32(half.subarray((r * length + length - 1) * vocab, (r * length + length) * vocab)),
    );
  }
  const data = logits.data as Float32Array;
  return Array.from({ length: rows }, (_, r) => data.subarray((r * length + length - 1) * vocab, (r * length + length) * vocab));
}
