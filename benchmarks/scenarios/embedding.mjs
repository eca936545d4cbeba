import { createEmbedder } from "@proj/encoder";
import { loadTransformers, MODEL_LABELS, modelDir, sst2Dev, tjsOptions } from "../lib/context.mjs";
import { encodeAll, encoderBatch, meanPoolNormalized, openSession, openTokenizer } from "../lib/floor.mjs";
import { measureCase } from "../lib/harness.mjs";
import { vectorsAgree } from "../lib/vectors.mjs";

/** The largest difference allowed between two contenders' embeddings of the same text (unit vectors). */
const TOLERANCE = 1e-4;
const BATCH_SIZE = 32;

function chunks(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The three contenders embedding `texts` (mean pooling, normalized) in batches of `batchSize`. */
function contenders(dir, threads) {
  let embedder;
  let pipe;
  let session;
  let tokenizer;
  return [
    {
      id: "proj",
      setup: async () => {
        embedder = await createEmbedder(dir, { load: { threads } });
      },
      embed: async (texts, batchSize) => {
        const vectors = await embedder.embed(texts, { batchSize, pooling: "mean", normalize: true });
        return { units: vectors.length, check: vectors };
      },
      teardown: () => embedder?.dispose(),
    },
    {
      id: "transformers.js",
      setup: async () => {
        const { pipeline } = await loadTransformers();
        pipe = await pipeline("feature-extraction", dir, tjsOptions(threads));
      },
      // The pipeline runs an array of texts as one batch, in the order given: one call per batch. Its output is
      // one [rows, hidden] tensor per call; the rows are taken as views.
      embed: async (texts, batchSize) => {
        const vectors = [];
        for (const batch of chunks(texts, batchSize)) {
          const out = await pipe(batch, { pooling: "mean", normalize: true });
          const [rows, size] = out.dims;
          for (let r = 0; r < rows; r++) vectors.push(out.data.subarray(r * size, (r + 1) * size));
        }
        return { units: vectors.length, check: vectors };
      },
      teardown: () => pipe?.dispose(),
    },
    {
      id: "floor",
      setup: async () => {
        session = await openSession(`${dir}/onnx/model.onnx`, threads);
        tokenizer = openTokenizer(dir);
      },
      // Same batches as @proj (and as the classification floor): sorted by length, then cut, each padded to its
      // longest row; mean pooling over the real tokens and L2 normalization in plain loops.
      embed: async (texts, batchSize) => {
        const ids = await encodeAll(tokenizer, texts);
        const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
        const vectors = new Array(texts.length);
        for (const rows of chunks(order, batchSize)) {
          const batch = rows.map((r) => ids[r]);
          const { last_hidden_state: hidden } = await encoderBatch(session, batch);
          const pooled = meanPoolNormalized(
            hidden,
            batch.map((row) => row.length),
          );
          rows.forEach((r, k) => {
            vectors[r] = pooled[k];
          });
        }
        return { units: vectors.length, check: vectors };
      },
      teardown: () => session?.release(),
    },
  ];
}

/** Scenario: sentence-embedding throughput over the SST-2 dev set at batch 32. */
export default {
  name: "embedding",
  title: "Embedding throughput: SST-2 dev set",
  description:
    `All 872 sentences of the SST-2 dev set embedded at batch ${BATCH_SIZE} (sentences per forward pass), mean pooling over the real ` +
    "tokens and L2 normalization (the model's sentence-transformers modules); sentences per second of the whole pass, tokenization " +
    'included. @proj: `createEmbedder(model).embed(texts, { batchSize: 32, pooling: "mean", normalize: true })`, which sorts the ' +
    'sentences by length before cutting batches; transformers.js: `pipeline("feature-extraction")` called once per 32 sentences in ' +
    'input order with `{ pooling: "mean", normalize: true }`; the floor runs @proj\'s batches (sorted by length, as the classification floor) through ' +
    "`InferenceSession.run` and pools in plain loops. Every round, each contender's vectors are compared with @proj's: the largest " +
    `absolute difference of any component must be at most ${TOLERANCE} (the three did the same work); a case where it is not is flagged below its table.`,
  async run(ctx) {
    const all = sst2Dev();
    const texts = ctx.quick ? all.slice(0, 96) : all;
    const cases = [];
    for (const size of ctx.sizes) {
      const dir = modelDir("embedding", size);
      const list = contenders(dir, ctx.threads);
      try {
        for (const c of list) await c.setup();
        ctx.log(`embedding ${size}: batch ${BATCH_SIZE}`);
        const result = await measureCase({
          name: `${size}: batch ${BATCH_SIZE}`,
          unit: "sentences",
          contenders: list.map((c) => ({
            id: c.id,
            run: () => c.embed(texts, BATCH_SIZE),
            warmup: () => c.embed(texts.slice(0, 64), BATCH_SIZE),
          })),
          warmup: ctx.warmup,
          reps: ctx.reps(size),
          log: ctx.log,
          agree: vectorsAgree(TOLERANCE),
        });
        cases.push({
          ...result,
          size,
          model: MODEL_LABELS[`embedding:${size}`],
          variant: `batch ${BATCH_SIZE}`,
          batchSize: BATCH_SIZE,
          texts: texts.length,
        });
      } finally {
        for (const c of list) await c.teardown();
      }
    }
    return { cases };
  },
};
