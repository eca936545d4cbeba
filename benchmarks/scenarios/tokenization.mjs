import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTokenizerConfig, Tokenizer } from "@proj/core";
import { FIXTURES_DIR, loadTransformers, multi30k, sst2Dev } from "../lib/context.mjs";
import { openTokenizer } from "../lib/floor.mjs";
import { measureCase } from "../lib/harness.mjs";

const TOKENIZERS = [
  { name: "BERT WordPiece (bert-base-uncased)", dir: "bert-seq-cls" },
  { name: "GPT-2 byte-level BPE", dir: "gpt2" },
  { name: "T5 SentencePiece Unigram", dir: "t5" },
];

function tokenCount(lists) {
  return lists.reduce((n, ids) => n + ids.length, 0);
}

/** Scenario 5: tokenizing real texts with @proj/core's tokenizer vs transformers.js' tokenizer. */
export default {
  name: "tokenization",
  title: "Tokenization: SST-2 and Multi30k",
  description:
    "The 872 SST-2 dev sentences and the 1,014 Multi30k validation sentences (English), tokenized with the real tokenizers of three " +
    "model families (special tokens added). *One at a time*: one `encode` call per text, awaited in turn. *Batch*: one call for all texts " +
    "(@proj: `encodeBatch`, which runs on Rust threads and returns encodings whose offsets, word ids and tokens are read from Rust when first used; here the ids are read; transformers.js: " +
    "`tokenizer(texts, { padding: true })`, which returns padded tensors). The floor is the Rust `tokenizers` binding that " +
    "@proj/core wraps, called directly (ids only).",
  async run(ctx) {
    const texts = [...sst2Dev(), ...multi30k("en")];
    const sample = ctx.quick ? texts.slice(0, 400) : texts;
    const { AutoTokenizer } = await loadTransformers();
    const cases = [];
    for (const t of TOKENIZERS) {
      const dir = join(FIXTURES_DIR, t.dir);
      const config = parseTokenizerConfig(JSON.parse(readFileSync(join(dir, "tokenizer_config.json"), "utf8")));
      const proj = await Tokenizer.fromFile(join(dir, "tokenizer.json"), config);
      const tjs = await AutoTokenizer.from_pretrained(dir);
      const raw = openTokenizer(dir);
      const modes = [
        {
          label: "one at a time",
          proj: async () => {
            const out = [];
            for (const text of sample) out.push((await proj.encode(text)).ids);
            return out;
          },
          tjs: async () => sample.map((text) => tjs.encode(text)),
          floor: async () => {
            const out = [];
            for (const text of sample) out.push((await raw.encode(text, null, { addSpecialTokens: true })).getIds());
            return out;
          },
        },
        {
          label: "batch",
          proj: async () => (await proj.encodeBatch(sample)).map((e) => e.ids),
          tjs: async () => {
            const { attention_mask } = tjs(sample, { padding: true });
            const [rows, width] = attention_mask.dims;
            const mask = attention_mask.data;
            return Array.from({ length: rows }, (_, r) => {
              let n = 0;
              for (let i = 0; i < width; i++) n += Number(mask[r * width + i]);
              return { length: n };
            });
          },
          floor: async () => (await raw.encodeBatch(sample, { addSpecialTokens: true })).map((e) => e.getIds()),
        },
      ];
      for (const mode of modes) {
        ctx.log(`tokenization: ${t.name}, ${mode.label}`);
        const wrap = (id, fn) => ({
          id,
          run: async () => {
            const lists = await fn();
            return { units: lists.length, check: tokenCount(lists) };
          },
        });
        const result = await measureCase({
          name: `${t.name}, ${mode.label}`,
          unit: "texts",
          contenders: [wrap("proj", mode.proj), wrap("transformers.js", mode.tjs), wrap("floor", mode.floor)],
          warmup: ctx.warmup,
          reps: ctx.quick ? 2 : 7,
          log: ctx.log,
        });
        cases.push({ ...result, variant: `${t.name}, ${mode.label}`, texts: sample.length });
      }
    }
    const notes = [];
    const differing = cases.filter((c) => c.consistent && !c.consistent.same);
    if (differing.length)
      notes.push("Token counts differ between contenders in the cases listed above: the tokenizers do not agree on every text.");
    return { cases, notes };
  },
};
