import { createTranslator } from "@proj/seq2seq";
import { loadTransformers, MODEL_LABELS, modelDir, multi30k, readConfig, tjsOptions } from "../lib/context.mjs";
import { encodeAll, kvEntries, openSession, openTokenizer, seq2seqBeam, seq2seqGreedy } from "../lib/floor.mjs";
import { measureCase } from "../lib/harness.mjs";

const PREFIX = "translate English to German: ";
const BATCH = 8;

function chunks(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const tokenCount = (lists) => lists.reduce((n, l) => n + l.length, 0);

function contenders(dir, threads, maxNewTokens) {
  const config = readConfig(dir);
  let translator;
  let pipe;
  let floor;
  return [
    {
      id: "proj",
      setup: async () => {
        translator = await createTranslator(dir, { load: { threads } });
      },
      translate: async (texts, numBeams) => {
        const out = await translator.translate(texts, { to: "de", maxNewTokens, numBeams, batchSize: BATCH });
        return { units: tokenCount(out.map((r) => r.tokenIds)), check: tokenCount(out.map((r) => r.tokenIds)) };
      },
      teardown: () => translator?.dispose(),
    },
    {
      id: "transformers.js",
      setup: async () => {
        const { pipeline } = await loadTransformers();
        pipe = await pipeline("translation", dir, tjsOptions(threads));
      },
      // The pipeline takes a batch as an array; T5's task prefix is the caller's to add in transformers.js.
      translate: async (texts, numBeams) => {
        if (numBeams > 1) return undefined;
        let tokens = 0;
        for (const batch of chunks(texts, BATCH)) {
          let rows;
          // Counts the tokens of each row up to its end-of-sequence (the first put is the decoder start).
          const streamer = {
            put(ids) {
              if (rows === undefined) {
                rows = ids.map(() => ({ n: 0, done: false }));
                return;
              }
              ids.forEach((row, r) => {
                if (rows[r].done) return;
                if (Number(row[0]) === config.eos_token_id) rows[r].done = true;
                else rows[r].n += 1;
              });
            },
            end() {},
          };
          await pipe(
            batch.map((t) => PREFIX + t),
            { max_new_tokens: maxNewTokens, streamer },
          );
          tokens += rows.reduce((n, r) => n + r.n, 0);
        }
        return { units: tokens, check: tokens };
      },
      teardown: () => pipe?.dispose(),
    },
    {
      id: "floor",
      setup: async () => {
        const encoder = await openSession(`${dir}/onnx/encoder_model.onnx`, threads);
        const decoder = await openSession(`${dir}/onnx/decoder_model_merged.onnx`, threads);
        const heads = config.num_heads ?? config.decoder_attention_heads;
        const headDim = config.d_kv ?? Math.floor(config.d_model / heads);
        floor = { encoder, decoder, entries: kvEntries(decoder, { heads, headDim }), tokenizer: openTokenizer(dir) };
      },
      // Same batches as @proj: sorted by length, batches of 8.
      translate: async (texts, numBeams) => {
        const ids = await encodeAll(
          floor.tokenizer,
          texts.map((t) => PREFIX + t),
        );
        const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
        const settings = {
          maxNewTokens,
          startId: config.decoder_start_token_id ?? 0,
          eosId: config.eos_token_id,
          padId: config.pad_token_id ?? 0,
          numBeams,
        };
        let tokens = 0;
        for (const rows of chunks(order, BATCH)) {
          const inputs = rows.map((r) => ids[r]);
          const generated =
            numBeams > 1
              ? await seq2seqBeam(floor.encoder, floor.decoder, floor.entries, inputs, settings)
              : await seq2seqGreedy(floor.encoder, floor.decoder, floor.entries, inputs, settings);
          await floor.tokenizer.decodeBatch(generated, true);
          tokens += tokenCount(generated);
        }
        return { units: tokens, check: tokens };
      },
      teardown: async () => {
        await floor?.encoder.release();
        await floor?.decoder.release();
      },
    },
  ];
}

/** Scenario 4: translating 100 Multi30k sentences with a T5-shaped model, greedy and with 4 beams. */
export default {
  name: "seq2seq",
  title: "Seq2seq: translating 100 Multi30k sentences",
  description:
    "The first 100 Multi30k validation sentences (English), translated to German by a T5-shaped model (task prefix " +
    `"${PREFIX}"), in batches of ${BATCH}, at most 32 new tokens each, greedy and with 4 beams. Figures are generated tokens per second. ` +
    "@proj and the floor sort the inputs by length before batching; transformers.js gets them in order. transformers.js 4.3.2 has no beam " +
    "search (its `generate` keeps one token per row; `num_beams` only changes the sampler), so it is not a contender in the 4-beam case. " +
    "The floor's beam search keeps `numBeams` beams by summed log-probability, reorders the self-attention cache after each step, and " +
    "expands the cross-attention cache and encoder states once (they do not change within an input).",
  async run(ctx) {
    const texts = multi30k("en").slice(0, ctx.quick ? 24 : 100);
    const maxNewTokens = ctx.quick ? 16 : 32;
    const cases = [];
    for (const size of ctx.sizes) {
      const dir = modelDir("seq2seq", size);
      const list = contenders(dir, ctx.threads, maxNewTokens);
      try {
        for (const c of list) await c.setup();
        for (const numBeams of [1, 4]) {
          const label = numBeams === 1 ? "greedy" : `${numBeams} beams`;
          ctx.log(`seq2seq ${size}: ${label}`);
          const active = list.filter((c) => !(numBeams > 1 && c.id === "transformers.js"));
          const result = await measureCase({
            name: `${size}: ${label}`,
            unit: "tokens",
            contenders: active.map((c) => ({
              id: c.id,
              run: () => c.translate(texts, numBeams),
              warmup: () => c.translate(texts.slice(0, BATCH), numBeams),
            })),
            warmup: ctx.warmup,
            reps: numBeams > 1 && size === "bench" && !ctx.options.reps ? 2 : ctx.reps(size),
            log: ctx.log,
          });
          cases.push({
            ...result,
            size,
            model: MODEL_LABELS[`seq2seq:${size}`],
            variant: label,
            numBeams,
            texts: texts.length,
            maxNewTokens,
          });
        }
      } finally {
        for (const c of list) await c.teardown();
      }
    }
    return { cases };
  },
};
