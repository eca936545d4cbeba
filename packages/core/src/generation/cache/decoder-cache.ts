import type { Tensor } from "onnxruntime-node";
import { concatRows, dropLeading, gatherRows } from "./row-tensor.js";

/** The encoder side of an encoder-decoder cache: fixed for the whole generation. */
export interface EncoderMemory {
  /** `encoder_hidden_states` `[rows, encoderLength, hidden]`. */
  hiddenStates: Tensor;
  /** Encoder attention mask, row-major `[rows, encoderLength]`, 1 for real tokens. */
  mask: BigInt64Array;
  /** Cross-attention key/values by past input name (`past_key_values.{i}.encoder.key`), once computed. */
  crossKv: Map<string, Tensor> | undefined;
}

/**
 * The decoder state of a batch of sequences, one row per sequence: self-attention key/values, the
 * attention mask over them, next positions, the tokens so far, and for encoder-decoders the encoder memory.
 * Rows can be reordered or dropped ({@link DecoderCache.gather}, beam search and finished sequences)
 * and caches can be joined ({@link DecoderCache.concat}, sequences joining a running batch).
 */
export class DecoderCache {
  constructor(
    /** Self-attention key/values by past input name, each `[rows, kvHeads, pastLength, headDim]`. */
    readonly selfKv: Map<string, Tensor>,
    /** Attention mask over the past, row-major `[rows, pastLength]`, 1 for real tokens. */
    readonly mask: BigInt64Array,
    /** Number of past positions (columns of {@link DecoderCache.mask}). */
    readonly pastLength: number,
    /** Next position id of each row. */
    readonly positions: number[],
    /** Every token each row has fed so far (prompt and generated). */
    readonly tokens: number[][],
    /** Encoder memory, for encoder-decoder models. */
    readonly encoder: EncoderMemory | undefined,
  ) {}

  /** Number of rows (sequences). */
  get rows(): number {
    return this.positions.length;
  }

  /**
   * Keeps the given rows, in the given order; a row may appear several times (beams forking).
   * `encoderRows` names, per kept row, a row whose encoder memory it takes (default: the same as `indices`): beams
   * of one input share their encoder memory, so beam search passes the identity when no input joined or left, and
   * the (large) cross-attention cache is then kept as it is instead of copied.
   *
   * @example
   * const next = cache.gather([2, 2, 0]);
   * const beams = cache.gather([1, 1, 3, 2], [0, 1, 2, 3]); // rows 0-1 and 2-3 are the beams of two inputs
   */
  gather(indices: readonly number[], encoderRows: readonly number[] = indices): DecoderCache {
    const len = this.pastLength;
    const mask = new BigInt64Array(indices.length * len);
    indices.forEach((row, i) => {
      mask.set(this.mask.subarray(row * len, (row + 1) * len), i * len);
    });
    return new DecoderCache(
      mapValues(this.selfKv, (t) => gatherRows(t, indices)),
      mask,
      len,
      indices.map((r) => this.positions[r] as number),
      indices.map((r) => [...(this.tokens[r] as number[])]),
      this.encoder && (isIdentity(encoderRows, this.rows) ? this.encoder : gatherEncoder(this.encoder, encoderRows)),
    );
  }

  /**
   * Removes leading past columns that are padding in every row (left behind by rows that left the batch),
   * when there are at least `minColumns` of them; the result computes exactly the same.
   *
   * @example
   * cache = cache.trimPadding(16);
   */
  trimPadding(minColumns = 1): DecoderCache {
    const len = this.pastLength;
    let lead = len;
    for (let r = 0; r < this.rows && lead > 0; r++) {
      let c = 0;
      while (c < lead && this.mask[r * len + c] === 0n) c++;
      lead = c;
    }
    if (lead < minColumns || lead === len) return this;
    const kept = len - lead;
    const mask = new BigInt64Array(this.rows * kept);
    for (let r = 0; r < this.rows; r++) mask.set(this.mask.subarray(r * len + lead, (r + 1) * len), r * kept);
    return new DecoderCache(
      mapValues(this.selfKv, (t) => dropLeading(t, 2, lead)),
      mask,
      kept,
      this.positions,
      this.tokens,
      this.encoder,
    );
  }

  /**
   * Joins caches into one batch. Shorter pasts are padded on the left (masked), so every row's newest
   * position lines up; encoder memories are padded on the right.
   *
   * @example
   * const running = DecoderCache.concat([running, joining]);
   */
  static concat(caches: readonly DecoderCache[]): DecoderCache {
    const first = caches[0];
    if (!first) throw new RangeError("DecoderCache.concat needs at least one cache");
    if (caches.length === 1) return first;
    const len = Math.max(...caches.map((c) => c.pastLength));
    const rows = caches.reduce((n, c) => n + c.rows, 0);
    const mask = new BigInt64Array(rows * len);
    let row = 0;
    for (const cache of caches) {
      const pad = len - cache.pastLength;
      for (let r = 0; r < cache.rows; r++, row++) {
        mask.set(cache.mask.subarray(r * cache.pastLength, (r + 1) * cache.pastLength), row * len + pad);
      }
    }
    const selfKv = new Map<string, Tensor>();
    for (const name of first.selfKv.keys()) {
      selfKv.set(
        name,
        concatRows(
          caches.map((c) => c.selfKv.get(name) as Tensor),
          2,
          "left",
        ),
      );
    }
    return new DecoderCache(
      selfKv,
      mask,
      len,
      caches.flatMap((c) => c.positions),
      caches.flatMap((c) => c.tokens.map((t) => [...t])),
      first.encoder && concatEncoders(caches.map((c) => c.encoder as EncoderMemory)),
    );
  }
}

function isIdentity(rows: readonly number[], count: number): boolean {
  if (rows.length !== count) return false;
  for (let i = 0; i < count; i++) if (rows[i] !== i) return false;
  return true;
}

function mapValues<K, V>(map: Map<K, V>, fn: (v: V) => V): Map<K, V> {
  const out = new Map<K, V>();
  for (const [k, v] of map) out.set(k, fn(v));
  return out;
}

function gatherEncoder(memory: EncoderMemory, indices: readonly number[]): EncoderMemory {
  const len = memory.hiddenStates.dims[1] ?? 0;
  const mask = new BigInt64Array(indices.length * len);
  indices.forEach((row, i) => {
    mask.set(memory.mask.subarray(row * len, (row + 1) * len), i * len);
  });
  return {
    hiddenStates: gatherRows(memory.hiddenStates, indices),
    mask,
    crossKv: memory.crossKv && mapValues(memory.crossKv, (t) => gatherRows(t, indices)),
  };
}

function concatEncoders(memories: readonly EncoderMemory[]): EncoderMemory {
  const len = Math.max(...memories.map((m) => m.hiddenStates.dims[1] ?? 0));
  const rows = memories.reduce((n, m) => n + (m.hiddenStates.dims[0] ?? 0), 0);
  const mask = new BigInt64Array(rows * len);
  let row = 0;
  for (const memory of memories) {
    const own = memory.hiddenStates.dims[1] ?? 0;
    for (let r = 0; r < (memory.hiddenStates.dims[0] ?? 0); r++, row++) {
      mask.set(memory.mask.subarray(r * own, (r + 1) * own), row * len);
    }
  }
  const first = memories[0] as EncoderMemory;
  let crossKv: Map<string, Tensor> | undefined;
  if (memories.every((m) => m.crossKv)) {
    crossKv = new Map();
    for (const name of (first.crossKv as Map<string, Tensor>).keys()) {
      crossKv.set(
        name,
        concatRows(
          memories.map((m) => m.crossKv?.get(name) as Tensor),
          2,
          "right",
        ),
      );
    }
  }
  return {
    hiddenStates: concatRows(
      memories.map((m) => m.hiddenStates),
      1,
      "right",
    ),
    mask,
    crossKv,
  };
}
