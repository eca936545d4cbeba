import { createClassifier } from "@proj/encoder";
import { loadTransformers, MODEL_LABELS, modelDir, readConfig, sst2Dev, tjsOptions } from "../lib/context.mjs";
import { argmax, encodeAll, encoderBatch, openSession, openTokenizer } from "../lib/floor.mjs";
import { measureCase } from "../lib/harness.mjs";

function chunks(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** How many texts got each label: equal across contenders when they classify the same way. */
function labelCounts(labels) {
  const counts = {};
  for (const l of labels) counts[l] = (counts[l] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort());
}

/** The three contenders classifying `texts` in batches of `batchSize`. */
function contenders(dir, threads) {
  const labels = readConfig(dir).id2label;
  let classifier;
  let pipe;
  let session;
  let tokenizer;
  return [
    {
      id: "proj",
      setup: async () => {
        classifier = await createClassifier(dir, { load: { threads } });
      },
      classify: async (texts, batchSize) => {
        const results = await classifier.classify(texts, { batchSize });
        return { units: results.length, check: labelCounts(results.map((r) => r[0].label)) };
      },
      teardown: () => classifier?.dispose(),
    },
    {
      id: "transformers.js",
      setup: async () => {
        const { pipeline } = await loadTransformers();
        pipe = await pipeline("text-classification", dir, tjsOptions(threads));
      },
      // The pipeline runs an array of texts as one batch, in the order given: one call per batch.
      classify: async (texts, batchSize) => {
        const labelsOut = [];
        for (const batch of chunks(texts, batchSize)) {
          const out = await pipe(batch);
          for (const r of out) labelsOut.push((Array.isArray(r) ? r[0] : r).label);
        }
        return { units: labelsOut.length, check: labelCounts(labelsOut) };
      },
      teardown: () => pipe?.dispose(),
    },
    {
      id: "floor",
      setup: async () => {
        session = await openSession(`${dir}/onnx/model.onnx`, threads);
        tokenizer = openTokenizer(dir);
      },
      // Same batches as @proj: sorted by length, then cut, each padded to its longest row.
      classify: async (texts, batchSize) => {
        const ids = await encodeAll(tokenizer, texts);
        const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
        const predicted = new Array(texts.length);
        for (const rows of chunks(order, batchSize)) {
          const { logits } = await encoderBatch(
            session,
            rows.map((r) => ids[r]),
          );
          rows.forEach((r, k) => {
            predicted[r] = labels[argmax(logits.data, k * logits.dims[1], logits.dims[1])];
          });
        }
        return { units: predicted.length, check: labelCounts(predicted) };
      },
      teardown: () => session?.release(),
    },
  ];
}

/** Scenario 1: classification throughput over the SST-2 dev set at batch sizes 1, 8 and 32. */
export default {
  name: "classification",
  title: "Classification throughput: SST-2 dev set",
  description:
    "All 872 sentences of the SST-2 dev set, classified at batch sizes 1, 8 and 32 (sentences per forward pass); sentences per second " +
    "of the whole pass, tokenization included. @proj sorts the sentences by length before cutting batches, so each batch pads little; " +
    "the floor runs the same batches; transformers.js runs the batches in input order, as its pipeline does when given an array.",
  async run(ctx) {
    const all = sst2Dev();
    const texts = ctx.quick ? all.slice(0, 96) : all;
    const cases = [];
    for (const size of ctx.sizes) {
      const dir = modelDir("encoder", size);
      const list = contenders(dir, ctx.threads);
      try {
        for (const c of list) await c.setup();
        for (const batchSize of [1, 8, 32]) {
          ctx.log(`classification ${size}: batch ${batchSize}`);
          const result = await measureCase({
            name: `${size}: batch ${batchSize}`,
            unit: "sentences",
            contenders: list.map((c) => ({
              id: c.id,
              run: () => c.classify(texts, batchSize),
              warmup: () => c.classify(texts.slice(0, 64), batchSize),
            })),
            warmup: ctx.warmup,
            reps: ctx.reps(size),
            log: ctx.log,
          });
          cases.push({
            ...result,
            size,
            model: MODEL_LABELS[`encoder:${size}`],
            variant: `batch ${batchSize}`,
            batchSize,
            texts: texts.length,
          });
        }
      } finally {
        for (const c of list) await c.teardown();
      }
    }
    return { cases };
  },
};
