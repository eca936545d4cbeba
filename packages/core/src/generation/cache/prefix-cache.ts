import { createHash } from "node:crypto";
import { Tensor } from "onnxruntime-node";
import { InputError } from "../../errors.js";
import { checkOptions, optionNames } from "../../options/check-options.js";
import type { DecoderCache } from "./decoder-cache.js";

/** Options of a generator's prefix cache (`createGenerator(model, { prefixCache })`). */
export interface PrefixCacheOptions {
  /** Tokens per cached block: a prompt reuses whole blocks only. @defaultValue 16 */
  blockTokens?: number;
  /** Most bytes of key/values kept; least recently used blocks are evicted beyond it (pinned ones never). @defaultValue 256 MiB */
  maxBytes?: number;
}

const PREFIX_CACHE_OPTION_NAMES = optionNames<PrefixCacheOptions>()(["blockTokens", "maxBytes"]);

/** Counters of a prefix cache, for metrics (`generator.prefixCacheStats()`). */
export interface PrefixCacheStats {
  /** Prompts looked up. */
  lookups: number;
  /** Lookups that reused at least one block. */
  hits: number;
  /** Prompt tokens looked up. */
  promptTokens: number;
  /** Prompt tokens served from the cache (not prefilled). */
  cachedTokens: number;
  /** Blocks held now. */
  blocks: number;
  /** Bytes of key/values held now. */
  bytes: number;
  /** Blocks held now that someone has pinned (chat sessions' histories). */
  pinnedBlocks: number;
  /** Blocks evicted so far. */
  evictions: number;
}

/** Cached key/values of the first `length` tokens of a prompt, ready to feed as the past of a forward pass. */
export interface CachedPrefix {
  /** Tokens covered (a multiple of the block size). */
  length: number;
  /** Per past input name, `[1, kvHeads, length, headDim]`. */
  kv: Map<string, Tensor>;
}

/** A chain of stored blocks that a holder (a chat session) keeps from eviction until it releases them. */
export interface PinnedPrefix {
  /** Tokens the chain covers. */
  readonly length: number;
  /** Block keys, root first. @internal */
  readonly keys: readonly string[];
}

interface Block {
  key: string;
  parent: string | undefined;
  tokens: Int32Array;
  /** Per past input name, `[kvHeads, blockTokens, headDim]` row-major. */
  data: Map<string, { values: KvArray; heads: number; headDim: number; type: Tensor.Type }>;
  bytes: number;
  pins: number;
  children: number;
}

type KvArray = Float32Array | Uint16Array;

/**
 * Automatic prefix caching across requests (vLLM's and TGI's idea): the key/values of prompts are kept in blocks of
 * `blockTokens` tokens, each keyed by a hash chain over every token before it, so a request whose prompt starts with
 * a cached prefix (a shared system prompt, a document, the earlier turns of a chat) reuses those blocks and prefills
 * only the rest. Blocks are read-only and copied into a row's own cache when it starts; the least recently used
 * unpinned leaf is evicted first while the cache holds more than `maxBytes` (besides the blocks, the most recently
 * used prefix is kept assembled, one more copy of it, so requests sharing it skip the copy). Outputs are those of a full prefill up to
 * floating-point rounding (the same positions, the same past).
 *
 * @example
 * const cache = new PrefixCache({ maxBytes: 64 * 2 ** 20 });
 * const hit = cache.lookup(promptIds); // undefined, or the first hit.length tokens' key/values
 * cache.store(prefill.cache, 0); // after a prefill: keep row 0's full blocks
 */
export class PrefixCache {
  readonly blockTokens: number;
  readonly maxBytes: number;
  /** Insertion order is recency: the first entries are the least recently used. */
  readonly #blocks = new Map<string, Block>();
  #bytes = 0;
  #lookups = 0;
  #hits = 0;
  #promptTokens = 0;
  #cachedTokens = 0;
  #evictions = 0;
  /** The last prefix handed out, by its deepest block: a shared system prompt is then not copied again per request. */
  #recent: { key: string; kv: Map<string, Tensor> } | undefined;

  constructor(options: PrefixCacheOptions = {}) {
    const { blockTokens = 16, maxBytes = 256 * 2 ** 20 } = checkOptions(options, "prefixCache", PREFIX_CACHE_OPTION_NAMES);
    if (!Number.isInteger(blockTokens) || blockTokens < 1) {
      throw new InputError(`prefixCache.blockTokens must be a positive integer, got ${String(blockTokens)}`, { hint: "16 is a good size" });
    }
    if (typeof maxBytes !== "number" || Number.isNaN(maxBytes) || maxBytes < 0) {
      throw new InputError(`prefixCache.maxBytes must be a number ≥ 0, got ${String(maxBytes)}`, { hint: "for example 256 * 2 ** 20" });
    }
    this.blockTokens = blockTokens;
    this.maxBytes = maxBytes;
  }

  /** The cache's counters. */
  stats(): PrefixCacheStats {
    return {
      lookups: this.#lookups,
      hits: this.#hits,
      promptTokens: this.#promptTokens,
      cachedTokens: this.#cachedTokens,
      blocks: this.#blocks.size,
      bytes: this.#bytes,
      pinnedBlocks: [...this.#blocks.values()].filter((b) => b.pins > 0).length,
      evictions: this.#evictions,
    };
  }

  /**
   * The key/values of the longest cached prefix of `tokens`, leaving at least one token to compute (its logits are
   * the next token's); `undefined` when not even one block is cached. Counts the lookup in {@link PrefixCache.stats}.
   *
   * @example
   * const hit = cache.lookup(ids);
   * if (hit) console.log(`${hit.length} of ${ids.length} tokens cached`);
   */
  lookup(tokens: readonly number[]): CachedPrefix | undefined {
    this.#lookups++;
    this.#promptTokens += tokens.length;
    const chain = this.#walk(tokens, Math.floor((tokens.length - 1) / this.blockTokens));
    if (chain.length === 0) return undefined;
    this.#touch(chain);
    this.#hits++;
    const length = chain.length * this.blockTokens;
    this.#cachedTokens += length;
    const deepest = (chain[chain.length - 1] as Block).key;
    // Forward passes only read their inputs, so the same tensors can serve every request with this prefix.
    if (this.#recent?.key !== deepest) this.#recent = { key: deepest, kv: this.#assemble(chain) };
    return { length, kv: this.#recent.kv };
  }

  /**
   * Keeps the full blocks of one row of a cache (every token the row has fed, prompt and generated): blocks already
   * held are only marked as used. With `pin`, the whole chain is kept from eviction until {@link PrefixCache.release}.
   *
   * @example
   * cache.store(prefill.cache, 2);
   * const pinned = cache.store(finished, 0, { pin: true }); // a chat session's history
   */
  store(cache: DecoderCache, row: number, options: { pin?: boolean } = {}): PinnedPrefix {
    const tokens = cache.tokens[row];
    if (!tokens) throw new RangeError(`row ${row} out of [0, ${cache.rows})`);
    // A runner without key/values (a graph exported without past) has nothing to keep.
    if (cache.selfKv.size === 0) return { length: 0, keys: [] };
    const count = Math.floor(tokens.length / this.blockTokens);
    const columns = realColumns(cache, row, tokens.length);
    const keys: string[] = [];
    let parent: string | undefined;
    for (let b = 0; b < count; b++) {
      const ids = Int32Array.from(tokens.slice(b * this.blockTokens, (b + 1) * this.blockTokens));
      const key = blockKey(parent, ids);
      let block = this.#blocks.get(key);
      if (block && !sameTokens(block.tokens, ids)) break; // a hash collision: keep the chain up to here
      if (!block) {
        block = this.#copyBlock(cache, row, columns, b, key, parent, ids);
        this.#blocks.set(key, block);
        this.#bytes += block.bytes;
        const up = parent === undefined ? undefined : this.#blocks.get(parent);
        if (up) up.children++;
      }
      keys.push(key);
      parent = key;
    }
    const chain = keys.map((k) => this.#blocks.get(k) as Block);
    if (options.pin) for (const block of chain) block.pins++;
    this.#touch(chain);
    this.#evict();
    return { length: keys.length * this.blockTokens, keys: options.pin ? keys : [] };
  }

  /**
   * Pins a pinned chain once more, for a second holder (a forked chat session); each holder releases its own.
   *
   * @example
   * const forked = cache.retain(session.pinned);
   */
  retain(pinned: PinnedPrefix): PinnedPrefix {
    const keys: string[] = [];
    for (const key of pinned.keys) {
      const block = this.#blocks.get(key);
      if (!block) break;
      block.pins++;
      keys.push(key);
    }
    return { length: keys.length * this.blockTokens, keys };
  }

  /**
   * Lets a pinned chain be evicted again (a chat session disposed, or moved on to a longer history).
   *
   * @example
   * cache.release(session.pinned);
   */
  release(pinned: PinnedPrefix): void {
    for (const key of pinned.keys) {
      const block = this.#blocks.get(key);
      if (block && block.pins > 0) block.pins--;
    }
    this.#evict();
  }

  /** The cached blocks that start `tokens`, at most `maxBlocks`. */
  #walk(tokens: readonly number[], maxBlocks: number): Block[] {
    const chain: Block[] = [];
    let parent: string | undefined;
    for (let b = 0; b < maxBlocks; b++) {
      const ids = Int32Array.from(tokens.slice(b * this.blockTokens, (b + 1) * this.blockTokens));
      const block = this.#blocks.get(blockKey(parent, ids));
      if (!block || !sameTokens(block.tokens, ids)) break;
      chain.push(block);
      parent = block.key;
    }
    return chain;
  }

  /** Marks a chain as just used, deepest block first, so a chain's leaves are evicted before its root. */
  #touch(chain: readonly Block[]): void {
    for (let i = chain.length - 1; i >= 0; i--) {
      const block = chain[i] as Block;
      this.#blocks.delete(block.key);
      this.#blocks.set(block.key, block);
    }
  }

  #evict(): void {
    while (this.#bytes > this.maxBytes) {
      let victim: Block | undefined;
      for (const block of this.#blocks.values()) {
        if (block.pins === 0 && block.children === 0) {
          victim = block;
          break;
        }
      }
      if (!victim) return;
      this.#remove(victim);
      this.#evictions++;
    }
  }

  #remove(block: Block): void {
    if (this.#recent?.key === block.key) this.#recent = undefined;
    this.#blocks.delete(block.key);
    this.#bytes -= block.bytes;
    const up = block.parent === undefined ? undefined : this.#blocks.get(block.parent);
    if (up) up.children--;
  }

  /** Copies block `b` of a row (its tokens at `columns` of the cache) out of every past tensor. */
  #copyBlock(
    cache: DecoderCache,
    row: number,
    columns: Int32Array,
    b: number,
    key: string,
    parent: string | undefined,
    ids: Int32Array,
  ): Block {
    const data: Block["data"] = new Map();
    let bytes = 0;
    const n = this.blockTokens;
    for (const [name, tensor] of cache.selfKv) {
      const [, heads = 0, length = 0, headDim = 0] = tensor.dims;
      const source = tensor.data as KvArray;
      const values = new (source.constructor as new (size: number) => KvArray)(heads * n * headDim);
      const first = columns[b * n] as number;
      const contiguous = (columns[(b + 1) * n - 1] as number) - first === n - 1;
      for (let h = 0; h < heads; h++) {
        const base = (row * heads + h) * length;
        if (contiguous) {
          const from = (base + first) * headDim;
          values.set(source.subarray(from, from + n * headDim), h * n * headDim);
          continue;
        }
        for (let i = 0; i < n; i++) {
          const from = (base + (columns[b * n + i] as number)) * headDim;
          values.set(source.subarray(from, from + headDim), (h * n + i) * headDim);
        }
      }
      data.set(name, { values, heads, headDim, type: tensor.type });
      bytes += values.byteLength;
    }
    return { key, parent, tokens: ids, data, bytes, pins: 0, children: 0 };
  }

  /** The chain's key/values as `[1, heads, blocks * blockTokens, headDim]` tensors. */
  #assemble(chain: readonly Block[]): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const first = chain[0] as Block;
    const n = this.blockTokens;
    const length = chain.length * n;
    for (const [name, { values, heads, headDim, type }] of first.data) {
      const merged = new (values.constructor as new (size: number) => KvArray)(heads * length * headDim);
      chain.forEach((block, b) => {
        const part = (block.data.get(name) as { values: KvArray }).values;
        for (let h = 0; h < heads; h++) {
          merged.set(part.subarray(h * n * headDim, (h + 1) * n * headDim), (h * length + b * n) * headDim);
        }
      });
      out.set(name, new Tensor(type as "float32", merged as Float32Array, [1, heads, length, headDim]));
    }
    return out;
  }
}

function blockKey(parent: string | undefined, ids: Int32Array): string {
  const hash = createHash("sha256");
  if (parent !== undefined) hash.update(parent);
  hash.update(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
  return hash.digest("base64");
}

function sameTokens(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The cache columns of a row's `fed` tokens, in order: the columns its attention mask marks real. Rows are left-padded
 * and may have masked gaps (rows that took several tokens in one step beside rows that took fewer).
 */
function realColumns(cache: DecoderCache, row: number, fed: number): Int32Array {
  const width = cache.pastLength;
  const columns = new Int32Array(fed);
  let k = 0;
  for (let c = 0; c < width && k < fed; c++) if (cache.mask[row * width + c] === 1n) columns[k++] = c;
  if (k !== fed) throw new RangeError(`row ${row} marks ${k} real columns for ${fed} tokens`);
  return columns;
}
