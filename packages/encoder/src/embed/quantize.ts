import { InputError } from "@proj/core";
import type { Embedding, Precision, QuantizationRanges } from "./types.js";

/**
 * Per-dimension minimum and maximum of float32 embeddings: calibration ranges for `precision: "int8" | "uint8"`.
 *
 * @example
 * const ranges = calibrationRanges(await embed(corpusSample));
 * const codes = await embed(texts, { precision: "int8", ranges });
 */
export function calibrationRanges(embeddings: readonly Float32Array[]): { min: Float32Array; max: Float32Array } {
  const first = embeddings[0];
  if (first === undefined)
    throw new InputError("calibrationRanges() needs at least one embedding", {
      hint: "pass float32 embeddings of a sample of your corpus",
    });
  const min = Float32Array.from(first);
  const max = Float32Array.from(first);
  for (const row of embeddings) {
    if (!(row instanceof Float32Array) || row.length !== first.length) {
      throw new InputError(`calibrationRanges() needs float32 embeddings of ${first.length} dimensions each`, {
        hint: 'embed the sample with precision "float32" and the same dimensions',
      });
    }
    for (let d = 0; d < row.length; d++) {
      min[d] = Math.min(min[d] as number, row[d] as number);
      max[d] = Math.max(max[d] as number, row[d] as number);
    }
  }
  return { min, max };
}

/**
 * Converts float32 embeddings to a {@link Precision} with sentence-transformers' `quantize_embeddings` rules (see
 * {@link Precision}); int8/uint8 use `ranges`, or the batch's own per-dimension minimum and maximum without them.
 *
 * @example
 * quantize([new Float32Array([0.5, -0.5])], "ubinary"); // [Uint8Array [128]]
 * @internal
 */
export function quantize(rows: readonly Float32Array[], precision: Precision, ranges: QuantizationRanges | undefined): Embedding[] {
  if (precision === "float32") return [...rows];
  if (precision === "binary" || precision === "ubinary") {
    return rows.map((row) => {
      const bytes = new Uint8Array(Math.ceil(row.length / 8));
      for (let d = 0; d < row.length; d++) if ((row[d] as number) > 0) bytes[d >> 3] = (bytes[d >> 3] as number) | (0x80 >> (d & 7));
      if (precision === "ubinary") return bytes;
      return Int8Array.from(bytes, (b) => b - 128);
    });
  }
  const dims = rows[0]?.length ?? 0;
  const { min, max } = ranges === undefined ? batchRanges(rows, precision) : checkRanges(ranges, dims, precision);
  const f = Math.fround;
  const steps = new Float32Array(dims);
  for (let d = 0; d < dims; d++) steps[d] = f(f(max[d] as number) - f(min[d] as number)) / 255;
  return rows.map((row) => {
    const out = precision === "int8" ? new Int8Array(dims) : new Uint8Array(dims);
    for (let d = 0; d < dims; d++) {
      const scaled = f(f(f(row[d] as number) - f(min[d] as number)) / (steps[d] as number));
      const shifted = precision === "int8" ? f(scaled - 128) : scaled;
      const low = precision === "int8" ? -128 : 0;
      out[d] = Math.min(low + 255, Math.max(low, Math.trunc(shifted)));
    }
    return out;
  });
}

function batchRanges(rows: readonly Float32Array[], precision: Precision): { min: Float32Array; max: Float32Array } {
  if (rows.length < 2) {
    throw new InputError(`precision "${precision}" needs calibration ranges, and one text cannot calibrate itself`, {
      hint: `pass { ranges: calibrationRanges(await embed(sample)) } measured on a sample of your corpus, or embed many texts in one call`,
    });
  }
  return calibrationRanges(rows);
}

function checkRanges(ranges: QuantizationRanges, dims: number, precision: Precision): QuantizationRanges {
  const ok =
    ranges !== null &&
    typeof ranges === "object" &&
    ranges.min?.length === dims &&
    ranges.max?.length === dims &&
    Array.from({ length: dims }).every(
      (_, d) => Number.isFinite(ranges.min[d]) && Number.isFinite(ranges.max[d]) && (ranges.max[d] as number) > (ranges.min[d] as number),
    );
  if (!ok) {
    throw new InputError(`ranges must hold ${dims} finite values in min and in max, each max above its min, for precision "${precision}"`, {
      hint: "pass calibrationRanges(sample) of float32 embeddings made with the same model and dimensions",
    });
  }
  return ranges;
}
