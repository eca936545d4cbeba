/**
 * The three ways of generating text with a decoder-only model, for the generation, batched-generation and
 * memory scenarios. End-of-sequence stopping is off in all three (as vLLM's `ignore_eos` in its benchmarks),
 * so every contender generates exactly `maxNewTokens` per prompt.
 */
import { createGenerator } from "@proj/decoder";
import { loadTransformers, readConfig, tjsOptions } from "./context.mjs";
import { causalGreedy, causalShape, kvEntries, openSession, openTokenizer } from "./floor.mjs";

/**
 * @typedef {object} DecodeSettings
 * @property {number} maxNewTokens
 * @property {boolean} [sample] - sampling with penalties instead of greedy (top-p unless `topP` is false)
 * @property {boolean} [topP]
 * @property {number} [topK] - sample among the k most likely tokens (both SDKs; transformers.js's default is 50)
 */

/** Sampling settings of the "sampling" case: @proj gets OpenAI's presence/frequency penalties. */
export const SAMPLING = { temperature: 0.8, topP: 0.9, presencePenalty: 0.5, frequencyPenalty: 0.5, seed: 42 };

/** @proj/decoder: one `createGenerator` handle, `generate()` per call. */
export function projDecoder(dir, threads) {
  let generator;
  return {
    id: "proj",
    async setup() {
      generator ??= await createGenerator(dir, { load: { threads } });
    },
    /** @param {string[]} prompts @param {DecodeSettings} settings */
    async generate(prompts, settings) {
      const options = { maxNewTokens: settings.maxNewTokens, eosTokenId: [] };
      if (settings.sample) {
        Object.assign(options, { doSample: true, ...SAMPLING, ...(settings.topP === false ? { topP: 1 } : {}) });
        if (settings.topK) options.topK = settings.topK;
      }
      const results = await generator.generate(prompts, options);
      const m = results[0].metrics;
      return {
        units: results.reduce((n, r) => n + r.tokenIds.length, 0),
        ttftMs: m.ttftMs,
        tpotMs: m.tpot.mean,
        check: results.map((r) => r.tokenIds),
      };
    },
    async teardown() {
      await generator?.dispose();
      generator = undefined;
    },
    get handle() {
      return generator;
    },
  };
}

/**
 * transformers.js: the `text-generation` pipeline as its docs show, with a streamer that only records when
 * tokens arrive (no decoding). It has no presence/frequency penalties: the sampling cases use its
 * `repetition_penalty` (a penalty over the seen tokens, the closest it has). transformers.js 4.3.2 accepts
 * `top_p` but does not apply it (`// TODO: Add TopPLogitsWarper` in models/modeling_utils.js): its sampler draws
 * among the `top_k` most likely tokens after temperature, `top_k` being 50 unless the model's generation config
 * says otherwise (as in transformers).
 */
export function tjsDecoder(dir, threads) {
  let pipe;
  return {
    id: "transformers.js",
    async setup() {
      const { pipeline } = await loadTransformers();
      pipe ??= await pipeline("text-generation", dir, tjsOptions(threads));
    },
    async generate(prompts, settings) {
      const start = performance.now();
      const times = [];
      let rows;
      const streamer = {
        put(ids) {
          if (rows === undefined) {
            rows = ids.map(() => []); // the first put is the prompt
            return;
          }
          times.push(performance.now());
          ids.forEach((row, r) => {
            rows[r].push(Number(row[0]));
          });
        },
        end() {},
      };
      const options = { max_new_tokens: settings.maxNewTokens, eos_token_id: null, return_full_text: false, streamer };
      if (settings.sample) {
        Object.assign(options, { do_sample: true, temperature: SAMPLING.temperature, repetition_penalty: 1.2, top_k: settings.topK ?? 50 });
        if (settings.topP !== false) options.top_p = SAMPLING.topP;
      } else {
        options.do_sample = false;
      }
      await pipe(prompts.length === 1 ? prompts[0] : prompts, options);
      const n = times.length;
      return {
        units: (rows ?? []).reduce((s, r) => s + r.length, 0),
        ttftMs: n ? times[0] - start : 0,
        tpotMs: n > 1 ? (times[n - 1] - times[0]) / (n - 1) : 0,
        check: rows,
      };
    },
    async teardown() {
      await pipe?.dispose();
      pipe = undefined;
    },
  };
}

/** The floor: tokenize (Rust binding), prefill + per-token `session.run` with the cache, greedy argmax, decode. */
export function floorDecoder(dir, threads) {
  let session;
  let tokenizer;
  let entries;
  let padId;
  return {
    id: "floor",
    async setup() {
      if (session) return;
      const config = readConfig(dir);
      session = await openSession(`${dir}/onnx/model.onnx`, threads);
      tokenizer = openTokenizer(dir);
      entries = kvEntries(session, causalShape(config));
      padId = config.pad_token_id ?? config.eos_token_id ?? 0;
    },
    async generate(prompts, settings) {
      const start = performance.now();
      const encodings = await tokenizer.encodeBatch(prompts, { addSpecialTokens: false });
      const ids = encodings.map((e) => e.getIds());
      const tokenizeMs = performance.now() - start;
      const out = await causalGreedy(session, entries, ids, settings.maxNewTokens, padId);
      await tokenizer.decodeBatch(out.generated, true);
      return {
        units: out.generated.reduce((n, g) => n + g.length, 0),
        ttftMs: tokenizeMs + out.ttftMs,
        tpotMs: out.tpotMs,
        check: out.generated,
      };
    },
    async teardown() {
      await session?.release();
      session = undefined;
    },
  };
}
