import { type Encoding, InputError, ModelFormatError, type Tensor } from "@proj/core";
import type { EncoderModel } from "./encoder-model.js";

/**
 * One row of one output: the row's values and their dimensions, batch axis removed (padded width included).
 *
 * @example
 * const { data, dims } = rows[0].logits; // dims [2] for classification
 */
export interface RowOutput {
  /** Row-major values, a view into the batch's output. */
  data: Float32Array;
  /** Dimensions without the batch axis, e.g. `[2]` for classification, `[width, 9]` for token classification. */
  dims: number[];
}

/**
 * Default number of rows run in one forward pass.
 *
 * @example
 * checkBatchSize(undefined) === DEFAULT_BATCH_SIZE; // true
 */
export const DEFAULT_BATCH_SIZE = 32;

/**
 * Runs many encodings through a model in batches of at most `batchSize` rows. Rows are bucketed by length
 * (sorted, then cut into batches), so a long text pads only the batch of other long texts, and each batch is
 * padded only to its own longest row. Results come back in input order.
 *
 * @example
 * const rows = await forwardRows(encoder, encodings, ["logits"], 32);
 * @internal
 */
export async function forwardRows(
  encoder: EncoderModel,
  encodings: readonly Encoding[],
  outputs: readonly string[],
  batchSize: number,
  signal?: AbortSignal,
): Promise<Array<Record<string, RowOutput>>> {
  const order = encodings.map((_, i) => i).sort((a, b) => (encodings[a]?.ids.length ?? 0) - (encodings[b]?.ids.length ?? 0));
  const results: Array<Record<string, RowOutput>> = new Array(encodings.length);
  for (let from = 0; from < order.length; from += batchSize) {
    const rows = order.slice(from, from + batchSize);
    const { outputs: out } = await encoder.forward(
      rows.map((r) => encodings[r] as Encoding),
      outputs,
      signal,
    );
    const split = outputs.map((name) => [name, rowsOf(out[name], name, rows.length, encoder.label)] as const);
    rows.forEach((row, k) => {
      const record: Record<string, RowOutput> = {};
      for (const [name, views] of split) record[name] = views[k] as RowOutput;
      results[row] = record;
    });
  }
  return results;
}

/**
 * Checks a batch size option.
 *
 * @example
 * checkBatchSize(undefined); // 32
 * @internal
 */
export function checkBatchSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(`batchSize must be a positive integer, got ${String(value)}`, {
      hint: `pass e.g. { batchSize: ${DEFAULT_BATCH_SIZE} }, or omit it`,
    });
  }
  return value;
}

function rowsOf(tensor: Tensor | undefined, name: string, rows: number, label: string): RowOutput[] {
  if (!tensor) throw new ModelFormatError(`${label} returned no output "${name}"`);
  const data = toFloat32(tensor, name, label);
  const [batch, ...dims] = tensor.dims;
  if (batch !== rows) throw new ModelFormatError(`${label} returned "${name}" with batch size ${batch}, expected ${rows}`);
  const size = dims.reduce((a, b) => a * b, 1);
  return Array.from({ length: rows }, (_, r) => ({ data: data.subarray(r * size, (r + 1) * size), dims }));
}

function toFloat32(tensor: Tensor, name: string, label: string): Float32Array {
  if (tensor.type === "float32") return tensor.data as Float32Array;
  if (tensor.type === "float16") return float16ToFloat32(tensor.data as Uint16Array);
  if (tensor.type === "float64") return Float32Array.from(tensor.data as Float64Array);
  throw new ModelFormatError(`${label} returned "${name}" as ${tensor.type}; expected floating-point logits`);
}

/** Decodes IEEE half-precision values (ONNX Runtime returns float16 tensors as their raw bits). */
function float16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i] as number;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    out[i] =
      exponent === 0
        ? sign * 2 ** -14 * (fraction / 1024)
        : exponent === 0x1f
          ? fraction
            ? Number.NaN
            : sign * Number.POSITIVE_INFINITY
          : sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return out;
}
