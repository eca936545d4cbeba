import { InputError } from "../errors.js";
import type { Encoding } from "./encoding.js";

/** A padded batch, flat and row-major, ready to become `int64` tensors. */
export interface PaddedBatch {
  /** `[batchSize, sequenceLength]`. */
  dims: [number, number];
  /** Token ids, padded with the pad id. */
  inputIds: BigInt64Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: BigInt64Array;
  /** Segment ids, 0 on padding. */
  tokenTypeIds: BigInt64Array;
  /** Where the real tokens of each row start (non-zero only with left padding). */
  starts: number[];
  /** Number of real tokens in each row. */
  lengths: number[];
}

/** Options of {@link padBatch}. */
export interface PadOptions {
  /** The id written into padding positions. */
  padId: number;
  /** Pad on the left (decoders, so the last token of every row lines up) or the right (encoders). @defaultValue "right" */
  side?: "left" | "right";
  /** Pad to at least this length; otherwise to the longest row. */
  length?: number;
}

/**
 * Pads encodings of different lengths into one rectangular batch.
 *
 * @example
 * const batch = padBatch(await tokenizer.encodeBatch(["a", "a b c"]), { padId: 0 });
 * batch.dims; // [2, 5] for BERT ([CLS] a b c [SEP])
 */
export function padBatch(encodings: readonly Encoding[], options: PadOptions): PaddedBatch {
  if (encodings.length === 0) throw new InputError("Cannot build a batch from zero texts", { hint: "pass at least one text" });
  const longest = encodings.reduce((m, e) => Math.max(m, e.ids.length), 0);
  const width = Math.max(longest, options.length ?? 0);
  const rows = encodings.length;
  const inputIds = new BigInt64Array(rows * width).fill(BigInt(options.padId));
  const attentionMask = new BigInt64Array(rows * width);
  const tokenTypeIds = new BigInt64Array(rows * width);
  const starts: number[] = [];
  const lengths: number[] = [];
  encodings.forEach((encoding, row) => {
    const n = encoding.ids.length;
    const start = options.side === "left" ? width - n : 0;
    const base = row * width + start;
    for (let i = 0; i < n; i++) {
      inputIds[base + i] = BigInt(encoding.ids[i] as number);
      attentionMask[base + i] = 1n;
      tokenTypeIds[base + i] = BigInt(encoding.typeIds[i] ?? 0);
    }
    starts.push(start);
    lengths.push(n);
  });
  return { dims: [rows, width], inputIds, attentionMask, tokenTypeIds, starts, lengths };
}
