/**
 * The floor: bare onnxruntime-node `InferenceSession.run` loops doing the same forward passes as @proj, with no
 * SDK around them. Tokenization uses the same Rust `tokenizers` binding @proj/core wraps, called directly.
 * Token choice is greedy argmax (sampling and penalties cost time only in the SDKs); no stop checks.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ort from "onnxruntime-node";
import { Tokenizer } from "tokenizers";

/** Opens an ONNX file with the benchmark's thread count (nothing else changed from ONNX Runtime's defaults). */
export function openSession(file, threads) {
  return ort.InferenceSession.create(file, { executionProviders: ["cpu"], intraOpNumThreads: threads, graphOptimizationLevel: "all" });
}

/** The model's tokenizer.json in the Rust binding, as it is saved (truncation/padding off). */
export function openTokenizer(dir) {
  const tokenizer = Tokenizer.fromString(readFileSync(join(dir, "tokenizer.json"), "utf8"));
  tokenizer.disableTruncation();
  tokenizer.disablePadding();
  return tokenizer;
}

/** Token ids of texts (special tokens added). */
export async function encodeAll(tokenizer, texts, addSpecialTokens = true) {
  const encodings = await tokenizer.encodeBatch(texts, { addSpecialTokens });
  return encodings.map((e) => e.getIds());
}

const int64 = (data, dims) => new ort.Tensor("int64", data, dims);

/** Index of the largest value in `data[from, from + length)`. */
export function argmax(data, from, length) {
  let best = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < length; i++) {
    const v = data[from + i];
    if (v > max) {
      max = v;
      best = i;
    }
  }
  return best;
}

/** One right-padded batch of token ids through an encoder's `model.onnx`; returns its outputs. */
export function encoderBatch(session, batch) {
  const width = Math.max(...batch.map((ids) => ids.length));
  const ids = new BigInt64Array(batch.length * width);
  const mask = new BigInt64Array(batch.length * width);
  batch.forEach((row, r) => {
    for (let i = 0; i < row.length; i++) {
      ids[r * width + i] = BigInt(row[i]);
      mask[r * width + i] = 1n;
    }
  });
  const feeds = { input_ids: int64(ids, [batch.length, width]), attention_mask: int64(mask, [batch.length, width]) };
  if (session.inputNames.includes("token_type_ids"))
    feeds.token_type_ids = int64(new BigInt64Array(batch.length * width), [batch.length, width]);
  return session.run(feeds);
}

/**
 * Mean pooling of an encoder's `last_hidden_state` [rows, width, size] over each row's real tokens (the first
 * `lengths[r]`, right padding), then L2 normalization: one Float32Array per row.
 */
export function meanPoolNormalized(hidden, lengths) {
  const [rows, width, size] = hidden.dims;
  const data = hidden.data;
  const out = [];
  for (let r = 0; r < rows; r++) {
    const sum = new Float64Array(size);
    const length = lengths[r];
    for (let t = 0; t < length; t++) {
      const from = (r * width + t) * size;
      for (let d = 0; d < size; d++) sum[d] += data[from + d];
    }
    let norm = 0;
    for (let d = 0; d < size; d++) norm += (sum[d] / length) ** 2;
    const scale = 1 / (length * Math.max(Math.sqrt(norm), 1e-12));
    const vector = new Float32Array(size);
    for (let d = 0; d < size; d++) vector[d] = sum[d] * scale;
    out.push(vector);
  }
  return out;
}

/** Past/present cache names of a decoder graph, with heads and head size (from the graph, else the config). */
export function kvEntries(session, fallback) {
  const meta = new Map((session.inputMetadata ?? []).map((m) => [m.name, m]));
  return session.inputNames
    .filter((n) => n.startsWith("past_key_values"))
    .map((name) => {
      const shape = meta.get(name)?.shape ?? [];
      const heads = typeof shape[1] === "number" && shape[1] > 0 ? shape[1] : fallback.heads;
      const headDim = typeof shape[3] === "number" && shape[3] > 0 ? shape[3] : fallback.headDim;
      return { past: name, present: name.replace("past_key_values", "present"), heads, headDim, cross: name.includes(".encoder.") };
    });
}

/** Heads and head size of a decoder-only config.json. */
export function causalShape(config) {
  const heads = config.num_key_value_heads ?? config.n_head ?? config.num_attention_heads;
  const hidden = config.n_embd ?? config.hidden_size;
  return { heads, headDim: config.head_dim ?? Math.floor(hidden / (config.n_head ?? config.num_attention_heads)) };
}

/**
 * Greedy generation with a decoder-only graph: one prefill of the left-padded prompts, then one step per
 * token feeding `present.*` back as `past_key_values.*`. Returns the generated ids of each row and the
 * time to first token and per later token (ms).
 */
export async function causalGreedy(session, entries, prompts, maxNewTokens, padId) {
  const start = performance.now();
  const rows = prompts.length;
  const width = Math.max(...prompts.map((p) => p.length));
  const ids = new BigInt64Array(rows * width).fill(BigInt(padId));
  let mask = new BigInt64Array(rows * width);
  const positions = new BigInt64Array(rows * width).fill(1n);
  const next = new Array(rows);
  prompts.forEach((p, r) => {
    const pad = width - p.length;
    for (let i = 0; i < p.length; i++) {
      ids[r * width + pad + i] = BigInt(p[i]);
      mask[r * width + pad + i] = 1n;
      positions[r * width + pad + i] = BigInt(i);
    }
    next[r] = p.length;
  });
  const hasPositions = session.inputNames.includes("position_ids");
  const feeds = { input_ids: int64(ids, [rows, width]), attention_mask: int64(mask, [rows, width]) };
  if (hasPositions) feeds.position_ids = int64(positions, [rows, width]);
  for (const e of entries) feeds[e.past] = new ort.Tensor("float32", new Float32Array(0), [rows, e.heads, 0, e.headDim]);
  let out = await session.run(feeds);
  const generated = prompts.map(() => []);
  let ttftMs = 0;
  let firstAt = 0;
  let length = width;
  for (let step = 0; step < maxNewTokens; step++) {
    const [, seq, vocab] = out.logits.dims;
    const logits = out.logits.data;
    const tokens = new BigInt64Array(rows);
    for (let r = 0; r < rows; r++) {
      const token = argmax(logits, (r * seq + seq - 1) * vocab, vocab);
      generated[r].push(token);
      tokens[r] = BigInt(token);
    }
    if (step === 0) {
      firstAt = performance.now();
      ttftMs = firstAt - start;
    }
    if (step === maxNewTokens - 1) break;
    const grown = new BigInt64Array(rows * (length + 1));
    for (let r = 0; r < rows; r++) {
      grown.set(mask.subarray(r * length, (r + 1) * length), r * (length + 1));
      grown[r * (length + 1) + length] = 1n;
    }
    mask = grown;
    length += 1;
    const stepFeeds = { input_ids: int64(tokens, [rows, 1]), attention_mask: int64(mask, [rows, length]) };
    if (hasPositions)
      stepFeeds.position_ids = int64(
        BigInt64Array.from(next, (p) => BigInt(p + step)),
        [rows, 1],
      );
    for (const e of entries) stepFeeds[e.past] = out[e.present];
    out = await session.run(stepFeeds);
  }
  const tpotMs = maxNewTokens > 1 ? (performance.now() - firstAt) / (maxNewTokens - 1) : 0;
  return { generated, ttftMs, tpotMs };
}

/** Rows of a tensor whose first axis is the batch, in the given order (rows may repeat). */
export function gatherRows(tensor, indices) {
  const rows = tensor.dims[0];
  const stride = rows === 0 ? 0 : tensor.data.length / rows;
  const out = new tensor.data.constructor(indices.length * stride);
  indices.forEach((row, i) => {
    out.set(tensor.data.subarray(row * stride, (row + 1) * stride), i * stride);
  });
  return new ort.Tensor(tensor.type, out, [indices.length, ...tensor.dims.slice(1)]);
}

/** Runs an encoder-decoder's encoder over right-padded inputs; returns its hidden states and the mask tensor. */
async function encodeInputs(encoder, inputs, padId) {
  const rows = inputs.length;
  const width = Math.max(...inputs.map((ids) => ids.length));
  const ids = new BigInt64Array(rows * width).fill(BigInt(padId));
  const mask = new BigInt64Array(rows * width);
  inputs.forEach((row, r) => {
    for (let i = 0; i < row.length; i++) {
      ids[r * width + i] = BigInt(row[i]);
      mask[r * width + i] = 1n;
    }
  });
  const maskTensor = int64(mask, [rows, width]);
  const out = await encoder.run({ input_ids: int64(ids, [rows, width]), attention_mask: maskTensor });
  return { hidden: out.last_hidden_state, mask: maskTensor };
}

/** One step of a merged encoder-decoder graph (`decoder_model_merged.onnx`). */
function decoderStep(decoder, entries, tokens, hidden, mask, selfPast, crossPast) {
  const rows = tokens.length;
  const feeds = {
    encoder_attention_mask: mask,
    input_ids: int64(
      BigInt64Array.from(tokens, (t) => BigInt(t)),
      [rows, 1],
    ),
    encoder_hidden_states: hidden,
    use_cache_branch: new ort.Tensor("bool", [selfPast !== undefined], [1]),
  };
  for (const e of entries) {
    const past = e.cross ? crossPast?.get(e.past) : selfPast?.get(e.past);
    feeds[e.past] = past ?? new ort.Tensor("float32", new Float32Array(0), [rows, e.heads, 0, e.headDim]);
  }
  return decoder.run(feeds);
}

function presents(out, entries, cross) {
  return new Map(entries.filter((e) => e.cross === cross).map((e) => [e.past, out[e.present]]));
}

/**
 * Greedy encoder-decoder generation: the encoder once, the merged decoder once per token (cache branch after
 * the first step, cross-attention cache kept from the first step). Every row runs until all rows have produced
 * end-of-sequence or `maxNewTokens`.
 */
export async function seq2seqGreedy(encoder, decoder, entries, inputs, { maxNewTokens, startId, eosId, padId }) {
  const { hidden, mask } = await encodeInputs(encoder, inputs, padId);
  let tokens = inputs.map(() => startId);
  let selfPast;
  let crossPast;
  const generated = inputs.map(() => []);
  const done = inputs.map(() => false);
  for (let step = 0; step < maxNewTokens; step++) {
    const out = await decoderStep(decoder, entries, tokens, hidden, mask, selfPast, crossPast);
    selfPast = presents(out, entries, false);
    crossPast ??= presents(out, entries, true);
    const vocab = out.logits.dims[2];
    tokens = tokens.map((_, r) => argmax(out.logits.data, r * vocab, vocab));
    tokens.forEach((t, r) => {
      if (done[r]) return;
      if (t === eosId) done[r] = true;
      else generated[r].push(t);
    });
    if (done.every(Boolean)) break;
  }
  return generated;
}

/**
 * Beam search with `numBeams` beams per input, log-probabilities summed, no length penalty, for `maxNewTokens`
 * steps: the first step runs one row per input, then `numBeams` rows per input; after each step the
 * self-attention cache is reordered to follow the chosen beams (the cross-attention cache and encoder states
 * never change within an input, so they are expanded once). Returns the best beam's tokens per input.
 */
export async function seq2seqBeam(encoder, decoder, entries, inputs, { maxNewTokens, startId, padId, numBeams }) {
  const B = inputs.length;
  let { hidden, mask } = await encodeInputs(encoder, inputs, padId);
  let tokens = inputs.map(() => startId);
  let selfPast;
  let crossPast;
  let beams = inputs.map(() => [{ score: 0, tokens: [] }]);
  for (let step = 0; step < maxNewTokens; step++) {
    const out = await decoderStep(decoder, entries, tokens, hidden, mask, selfPast, crossPast);
    const vocab = out.logits.dims[2];
    const logits = out.logits.data;
    const per = step === 0 ? 1 : numBeams;
    const sources = [];
    const next = [];
    beams = beams.map((list, input) => {
      const candidates = [];
      list.forEach((beam, j) => {
        const row = input * per + j;
        const from = row * vocab;
        let max = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < vocab; i++) if (logits[from + i] > max) max = logits[from + i];
        let sum = 0;
        for (let i = 0; i < vocab; i++) sum += Math.exp(logits[from + i] - max);
        const norm = max + Math.log(sum);
        // The best numBeams tokens of this row, kept sorted in a tiny array during one pass.
        const ids = new Array(numBeams).fill(-1);
        const values = new Array(numBeams).fill(Number.NEGATIVE_INFINITY);
        for (let i = 0; i < vocab; i++) {
          const v = logits[from + i];
          if (v <= values[numBeams - 1]) continue;
          let at = numBeams - 1;
          while (at > 0 && values[at - 1] < v) {
            values[at] = values[at - 1];
            ids[at] = ids[at - 1];
            at--;
          }
          values[at] = v;
          ids[at] = i;
        }
        for (let k = 0; k < numBeams; k++)
          candidates.push({ row, token: ids[k], score: beam.score + values[k] - norm, tokens: beam.tokens });
      });
      candidates.sort((a, b) => b.score - a.score);
      return candidates.slice(0, numBeams).map((c) => {
        sources.push(c.row);
        next.push(c.token);
        return { score: c.score, tokens: [...c.tokens, c.token] };
      });
    });
    tokens = next;
    const present = presents(out, entries, false);
    selfPast = new Map([...present].map(([name, t]) => [name, gatherRows(t, sources)]));
    if (step === 0) {
      const expand = Array.from({ length: B * numBeams }, (_, r) => Math.floor(r / numBeams));
      crossPast = new Map([...presents(out, entries, true)].map(([name, t]) => [name, gatherRows(t, expand)]));
      hidden = gatherRows(hidden, expand);
      mask = gatherRows(mask, expand);
    }
  }
  return beams.map((list) => list[0].tokens);
}
