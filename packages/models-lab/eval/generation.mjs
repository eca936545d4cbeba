// Evaluation of the embedded caption language model (Multi30k English captions):
//  1. validation perplexity on multi30k val.en (1,014 captions), from the model's logits through @proj/core
//     sessions: each caption is scored as "<|endoftext|> caption <|endoftext|>" (every caption token and the final
//     end-of-text, given what precedes); token-level perplexity, and per word (NLL / (words + 1 end per caption));
//  2. decoding study for docs/decoding.md: 200 continuations (prompt = the first two words of each of the first
//     200 val captions, 40 new tokens at most) per decoding setting, through @proj/decoder, with distinct-1/2
//     (unique word n-grams / all, pooled over the 200 samples), repetition (share of samples that repeat a word
//     3-gram) and rep-3 (share of each sample's word 3-grams that repeat an earlier one, averaged). Twice: with
//     natural lengths (a caption ends with <|endoftext|>), and with 40 tokens forced (minNewTokens 40: no end of
//     text allowed before), where loops show and penalties matter.
//
//   npm run build            # @proj/core, @proj/decoder
//   node packages/models-lab/eval/generation.mjs [--model DIR] [--dtype auto|fp32|q8] [--name NAME] [--samples 200]
//
// Writes eval/results/<NAME>.json (default "generation").
import { join } from "node:path";
import { parseArgs } from "node:util";
import { int64Tensor, loadModel } from "@proj/core";
import { emptyPast, kvLayout } from "@proj/core/internal";
import { createGenerator } from "@proj/decoder";
import { captions, evalDir, modelsDir, relative, writeResult } from "./lib.mjs";

const { values: args } = parseArgs({
  options: {
    model: { type: "string", default: join(modelsDir, "generation") },
    dtype: { type: "string", default: "auto" },
    name: { type: "string", default: "generation" },
    samples: { type: "string", default: "200" },
    "max-new-tokens": { type: "string", default: "40" },
    threads: { type: "string", default: "1" },
    "skip-decoding": { type: "boolean", default: false },
  },
});
const val = captions("val.en.gz");
const threads = Number(args.threads);

// ---------------------------------------------------------------------------------------------- perplexity
async function perplexity() {
  const model = await loadModel(args.model, { dtype: args.dtype, threads, fullLogits: true });
  const session = model.session(model.graphs[0]);
  const layout = kvLayout(session, undefined);
  const eot = model.config.eosTokenIds[0] ?? 0;
  const seqs = [];
  for (const line of val) seqs.push([eot, ...(await model.tokenizer.encode(line, { addSpecialTokens: false })).ids, eot]);
  let nll = 0;
  let tokens = 0;
  const batch = 32;
  for (let start = 0; start < seqs.length; start += batch) {
    const rows = seqs.slice(start, start + batch);
    const width = Math.max(...rows.map((r) => r.length));
    const ids = new BigInt64Array(rows.length * width).fill(BigInt(eot));
    const mask = new BigInt64Array(rows.length * width);
    const pos = new BigInt64Array(rows.length * width).fill(1n);
    for (let i = 0; i < rows.length; i++) {
      for (let j = 0; j < rows[i].length; j++) {
        ids[i * width + j] = BigInt(rows[i][j]);
        mask[i * width + j] = 1n;
        pos[i * width + j] = BigInt(j);
      }
    }
    const dims = [rows.length, width];
    const out = await session.run({
      input_ids: int64Tensor(ids, dims),
      attention_mask: int64Tensor(mask, dims),
      position_ids: int64Tensor(pos, dims),
      ...emptyPast(layout.entries, rows.length),
    });
    const logits = out.logits.data;
    const vocab = out.logits.dims[2];
    rows.forEach((r, i) => {
      for (let j = 0; j + 1 < r.length; j++) {
        const off = (i * width + j) * vocab;
        let max = Number.NEGATIVE_INFINITY;
        for (let v = 0; v < vocab; v++) max = Math.max(max, logits[off + v]);
        let sum = 0;
        for (let v = 0; v < vocab; v++) sum += Math.exp(logits[off + v] - max);
        nll += Math.log(sum) + max - logits[off + r[j + 1]];
        tokens++;
      }
    });
  }
  const words = val.reduce((n, l) => n + l.split(/\s+/).filter(Boolean).length, 0);
  const dtypes = model.dtypes;
  await model.dispose();
  return {
    captions: val.length,
    tokens,
    tokenPerplexity: Number(Math.exp(nll / tokens).toFixed(2)),
    wordPerplexity: Number(Math.exp(nll / (words + val.length)).toFixed(2)),
    meanNll: Number((nll / tokens).toFixed(4)),
    dtypes,
  };
}

// ---------------------------------------------------------------------------------------------- decoding study
const words = (text) => text.toLowerCase().match(/[\p{L}\p{N}']+|[^\s\p{L}\p{N}]/gu) ?? [];
const grams = (w, n) => Array.from({ length: Math.max(0, w.length - n + 1) }, (_, i) => w.slice(i, i + n).join(" "));

function diversity(texts) {
  const all1 = [];
  const all2 = [];
  let repeating = 0;
  let rep3 = 0;
  let length = 0;
  for (const t of texts) {
    const w = words(t);
    length += w.length;
    all1.push(...grams(w, 1));
    all2.push(...grams(w, 2));
    const g3 = grams(w, 3);
    const seen = new Set();
    let dup = 0;
    for (const g of g3) {
      if (seen.has(g)) dup++;
      seen.add(g);
    }
    if (dup > 0) repeating++;
    rep3 += g3.length ? dup / g3.length : 0;
  }
  return {
    distinct1: Number((new Set(all1).size / Math.max(1, all1.length)).toFixed(3)),
    distinct2: Number((new Set(all2).size / Math.max(1, all2.length)).toFixed(3)),
    repetition: Number((repeating / texts.length).toFixed(3)),
    rep3: Number((rep3 / texts.length).toFixed(3)),
    meanWords: Number((length / texts.length).toFixed(1)),
  };
}

const SETTINGS = [
  ["greedy", {}],
  ["temperature 0.7", { doSample: true, temperature: 0.7 }],
  ["temperature 1.0", { doSample: true, temperature: 1.0 }],
  ["temperature 1.3", { doSample: true, temperature: 1.3 }],
  ["top-k 10", { doSample: true, topK: 10 }],
  ["top-p 0.5", { doSample: true, topP: 0.5 }],
  ["top-p 0.9", { doSample: true, topP: 0.9 }],
  ["greedy + presence 1.0", { presencePenalty: 1.0 }],
  ["greedy + frequency 1.0", { frequencyPenalty: 1.0 }],
  ["greedy + repetitionPenalty 1.3", { repetitionPenalty: 1.3 }],
  ["greedy + noRepeatNgramSize 3", { noRepeatNgramSize: 3 }],
  ["top-p 0.9 + presence 1.0", { doSample: true, topP: 0.9, presencePenalty: 1.0 }],
  ["top-p 0.9 + frequency 1.0", { doSample: true, topP: 0.9, frequencyPenalty: 1.0 }],
];

async function decodingStudy(generator, forced) {
  const n = Number(args.samples);
  const prompts = val.slice(0, n).map((l) => l.split(/\s+/).slice(0, 2).join(" "));
  const maxNewTokens = Number(args["max-new-tokens"]);
  const rows = [];
  console.log(forced ? `-- ${maxNewTokens} tokens forced (minNewTokens ${maxNewTokens})` : "-- natural length");
  for (const [label, options] of SETTINGS) {
    const started = performance.now();
    const results = await generator.generate(prompts, {
      maxNewTokens,
      ...(forced ? { minNewTokens: maxNewTokens } : {}),
      seed: 1234,
      ...options,
    });
    const texts = results.map((r) => r.text);
    const stopped = results.filter((r) => r.finishReason === "stop").length / results.length;
    rows.push({
      setting: label,
      options,
      ...diversity(texts),
      stopped: Number(stopped.toFixed(3)),
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      examples: [0, 1, 2].map((i) => `${prompts[i]}${texts[i]}`),
    });
    const r = rows.at(-1);
    console.log(
      `${label.padEnd(32)} distinct-2 ${r.distinct2.toFixed(3)}  repetition ${r.repetition.toFixed(3)}  rep-3 ${r.rep3.toFixed(3)}  words ${r.meanWords}  | ${r.examples[0]}`,
    );
  }
  return {
    samples: n,
    prompts: "first two words of the first val.en captions",
    maxNewTokens,
    minNewTokens: forced ? maxNewTokens : 0,
    seed: 1234,
    rows,
  };
}

const ppl = await perplexity();
console.log(`validation perplexity: ${ppl.tokenPerplexity} per token, ${ppl.wordPerplexity} per word (${ppl.tokens} tokens)`);
let decoding;
if (!args["skip-decoding"]) {
  const generator = await createGenerator(args.model, { load: { dtype: args.dtype, threads } });
  decoding = { natural: await decodingStudy(generator, false), forced: await decodingStudy(generator, true) };
  await generator.dispose();
}
const result = {
  task: "caption generation (English)",
  model: relative(args.model),
  data: "multi30k/val.en.gz",
  perplexity: ppl,
  decoding,
  date: new Date().toISOString(),
};
writeResult(join(evalDir, "results", `${args.name}.json`), result);
