#!/usr/bin/env node
// Time per translated sentence: @proj/seq2seq vs @huggingface/transformers (transformers.js) on the same ONNX files.
//
//   cd packages/seq2seq && npx tsup && node bench/translate-time.mjs [--sentences 100] [--runs 5] [--threads 1] [--max-new-tokens 32]
//
// The first N English sentences of Multi30k test_2016_flickr are translated one call per sentence with the T5
// fixture ("translate English to German: " prefix, encoder_model + decoder_model_merged, fp32), greedy and with
// 4 beams. Both libraries get the same thread count and the same max_new_tokens. After one warm-up pass of each,
// runs are interleaved (ours, theirs, ours, theirs ...) and the median over runs is reported.
// Note: transformers.js 4.3.2 accepts num_beams but does not run beam search (it stays greedy), so its
// "4 beams" line measures greedy work; ours runs real beam search (4 rows per step).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { createTranslator } from "@proj/seq2seq";
import * as transformers from "@huggingface/transformers";

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const SENTENCES = arg("sentences", 100);
const RUNS = arg("runs", 5);
const THREADS = arg("threads", 1);
const MAX_NEW = arg("max-new-tokens", 32);
const MODEL = resolve(here, "../../testing/fixtures/t5");
const SHARED = process.env.PROJ_SHARED_DIR ?? resolve(here, "../../../../shared");
const DATA = join(SHARED, "data/multi30k/test_2016_flickr.en.gz");
const PREFIX = "translate English to German: ";

const sentences = gunzipSync(readFileSync(DATA))
  .toString("utf8")
  .split("\n")
  .filter((s) => s.trim() !== "")
  .slice(0, SENTENCES);

const ours = await createTranslator(MODEL, { threads: THREADS });
transformers.env.allowRemoteModels = false;
transformers.env.allowLocalModels = true;
transformers.env.localModelPath = "";
transformers.env.useFSCache = false;
const tokenizer = await transformers.AutoTokenizer.from_pretrained(MODEL);
const theirs = await transformers.AutoModelForSeq2SeqLM.from_pretrained(MODEL, {
  dtype: "fp32",
  session_options: { intraOpNumThreads: THREADS, interOpNumThreads: 1 },
});

/** One pass over the sentences; returns ms per sentence and tokens generated. */
const passes = {
  async ours(numBeams) {
    let tokens = 0;
    const start = performance.now();
    for (const s of sentences) tokens += (await ours.translate(s, { to: "de", numBeams, maxNewTokens: MAX_NEW })).tokenIds.length;
    return { ms: (performance.now() - start) / sentences.length, tokens };
  },
  async theirs(numBeams) {
    let tokens = 0;
    const start = performance.now();
    for (const s of sentences) {
      const out = await theirs.generate({ ...tokenizer(PREFIX + s), max_new_tokens: MAX_NEW, do_sample: false, num_beams: numBeams });
      const row = out.tolist()[0];
      const text = tokenizer.decode(row, { skip_special_tokens: true });
      const generated = row.slice(1).map(Number);
      const end = generated.indexOf(1); // T5's </s>: ours does not count it either
      tokens += end < 0 ? generated.length : end;
      if (typeof text !== "string") throw new Error("no text");
    }
    return { ms: (performance.now() - start) / sentences.length, tokens };
  },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(
  `# ${sentences.length} Multi30k sentences, T5 fixture, ${THREADS} ORT thread(s), max_new_tokens ${MAX_NEW}, ${RUNS} interleaved runs after warm-up`,
);
console.log(`# node ${process.version}, onnxruntime-node via both libraries, transformers.js ${transformers.env.version ?? "?"}`);
const rows = [];
for (const numBeams of [1, 4]) {
  await passes.ours(numBeams);
  await passes.theirs(numBeams);
  const times = { ours: [], theirs: [] };
  const tokens = { ours: 0, theirs: 0 };
  for (let r = 0; r < RUNS; r++) {
    for (const who of r % 2 ? ["theirs", "ours"] : ["ours", "theirs"]) {
      const { ms, tokens: n } = await passes[who](numBeams);
      times[who].push(ms);
      tokens[who] = n;
    }
  }
  const mode = numBeams === 1 ? "greedy" : "4 beams";
  rows.push({ mode, lib: "@proj/seq2seq", ms: median(times.ours), all: times.ours, tokens: tokens.ours });
  rows.push({ mode, lib: "transformers.js", ms: median(times.theirs), all: times.theirs, tokens: tokens.theirs });
}
console.log("| decoding | library | median ms / sentence | runs (ms / sentence) | tokens generated per pass |");
console.log("|---|---|---|---|---|");
for (const r of rows)
  console.log(`| ${r.mode} | ${r.lib} | ${r.ms.toFixed(2)} | ${r.all.map((x) => x.toFixed(2)).join(", ")} | ${r.tokens} |`);
for (const mode of ["greedy", "4 beams"]) {
  const [a, b] = rows.filter((r) => r.mode === mode);
  console.log(`# ${mode}: transformers.js / @proj/seq2seq = ${(b.ms / a.ms).toFixed(2)}x`);
}
await ours.dispose();
await theirs.dispose();
