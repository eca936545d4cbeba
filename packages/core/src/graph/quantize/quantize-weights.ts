/** A float32 weight matrix `[rows, columns]` stored as int8, with the scales that restore it. */
export interface Int8Weights {
  /** The int8 values, row-major like the float32 matrix. */
  values: Int8Array;
  /** One scale for the whole matrix, or one per column (output channel). */
  scales: Float32Array;
}

/**
 * Quantizes a row-major float32 matrix `[rows, columns]` (a MatMul's `B`: inputs by outputs) to symmetric int8: each
 * value becomes `round(w / scale)` clipped to [-127, 127] with a zero point of 0, and `scale = max |w| / 127` over the
 * whole matrix, or over each column with `perChannel` (one scale per output). A column or matrix of zeros gets scale 1.
 *
 * @example
 * const { values, scales } = quantizeWeights(new Float32Array([0.5, -1, 0.25, 1]), 2, 2, false);
 * // values [64, -127, 32, 127], scales [1 / 127]
 */
export function quantizeWeights(weights: Float32Array, rows: number, columns: number, perChannel: boolean): Int8Weights {
  const scales = new Float32Array(perChannel ? columns : 1);
  for (let r = 0; r < rows; r++) {
    const at = r * columns;
    for (let c = 0; c < columns; c++) {
      const s = perChannel ? c : 0;
      const magnitude = Math.abs(weights[at + c] as number);
      if (magnitude > (scales[s] as number)) scales[s] = magnitude;
    }
  }
  for (let s = 0; s < scales.length; s++) {
    const max = scales[s] as number;
    scales[s] = max > 0 && Number.isFinite(max) ? max / 127 : 1;
  }
  const values = new Int8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const at = r * columns;
    for (let c = 0; c < columns; c++) {
      const q = Math.round((weights[at + c] as number) / (scales[perChannel ? c : 0] as number));
      values[at + c] = Math.min(127, Math.max(-127, q));
    }
  }
  return { values, scales };
}

/**
 * The transpose of a row-major float32 matrix `[rows, columns]` (a Gemm weight with `transB=1` is stored `[N, K]`).
 *
 * @example
 * transpose(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3); // [1, 4, 2, 5, 3, 6]
 */
export function transpose(weights: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = weights[r * columns + c] as number;
  return out;
}
