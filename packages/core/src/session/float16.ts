let table: Float32Array | undefined;

/** Every IEEE 754 half-precision bit pattern decoded once (256 KiB), so conversion is one lookup per value. */
function halfTable(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    table[h] =
      exponent === 0
        ? sign * 2 ** -14 * (fraction / 1024)
        : exponent === 31
          ? fraction === 0
            ? sign * Number.POSITIVE_INFINITY
            : Number.NaN
          : sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return table;
}

/**
 * Decodes float16 values (as ONNX Runtime returns them, in a Uint16Array) to float32.
 *
 * @example
 * float16ToFloat32(Uint16Array.of(0x3c00)); // Float32Array [1]
 */
export function float16ToFloat32(values: Uint16Array): Float32Array {
  const lookup = halfTable();
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = lookup[values[i] as number] as number;
  return out;
}
