// Trains the byte-level BPE vocabularies of the two generative models with the `tokenizers` binding.
//
//   node packages/models-lab/training/generative/train_tokenizers.mjs [outDir]
//
// outDir defaults to /tmp/proj-generative/tokenizers. Writes:
//   caption-en.tokenizer.json   English captions (Multi30k train.en), for the GPT-2-style caption LM
//   en-de.tokenizer.json        joint English + German (Multi30k train.en + train.de), for the BART-style translator
//
// The Node binding trains only with the model's default trainer (`Tokenizer.train(files)`; no trainer options
// are exposed: vocab_size 30000, min_frequency 0). BPE learns its merges greedily, one at a time, in order, so
// the first K merges of that run are exactly the merges a trainer with vocab_size = |alphabet| + K would learn:
// we keep the first K merges and build the vocabulary ourselves as
//   special tokens, then the 256 byte-level symbols (GPT-2 order), then the token each kept merge creates.
// With all 256 byte symbols in the vocabulary any text encodes (no unknown token), as in GPT-2.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../../..");
const require = createRequire(import.meta.url); // tokenizers, a dependency of @proj/models-lab
const tk = require("tokenizers");
const dataDir = resolve(repoRoot, "../shared/data/multi30k");
const outDir = resolve(process.argv[2] ?? "/tmp/proj-generative/tokenizers");
mkdirSync(outDir, { recursive: true });

/** GPT-2's bytes_to_unicode: byte value -> printable character, in byte order. */
function byteSymbols() {
  const bs = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n);
      n++;
    }
  }
  const map = new Map(bs.map((b, i) => [b, String.fromCodePoint(cs[i])]));
  return [...Array(256).keys()].map((b) => map.get(b));
}

function lines(name) {
  return gunzipSync(readFileSync(join(dataDir, name)))
    .toString("utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0);
}

/**
 * @param {string} name output file stem
 * @param {string[]} corpora Multi30k file names
 * @param {number} vocabSize total vocabulary (specials + 256 bytes + merges)
 * @param {{content: string}[]} specials special tokens, ids 0..n-1 in this order
 * @param {object|null} postProcessor tokenizer.json post_processor
 */
function train(name, corpora, vocabSize, specials, postProcessor) {
  const text = corpora.flatMap(lines).join("\n");
  const corpusFile = join(tmpdir(), `proj-${name}-corpus.txt`);
  writeFileSync(corpusFile, `${text}\n`);
  const t = new tk.Tokenizer(tk.BPE.empty());
  t.setPreTokenizer(tk.byteLevelPreTokenizer(false, true));
  const started = Date.now();
  t.train([corpusFile]);
  const fullFile = join(tmpdir(), `proj-${name}-full.json`);
  t.save(fullFile, false);
  const full = JSON.parse(readFileSync(fullFile, "utf8"));
  const keep = vocabSize - specials.length - 256;
  if (full.model.merges.length < keep) throw new Error(`${name}: only ${full.model.merges.length} merges learned`);
  const merges = full.model.merges.slice(0, keep).map((m) => (Array.isArray(m) ? m : m.split(" ")));

  const vocab = {};
  let id = 0;
  for (const s of specials) vocab[s.content] = id++;
  for (const sym of byteSymbols()) vocab[sym] = id++;
  for (const [a, b] of merges) {
    if (!(a in vocab) || !(b in vocab)) throw new Error(`${name}: merge ${a} ${b} uses an unknown token`);
    const merged = a + b;
    if (merged in vocab) throw new Error(`${name}: duplicate token ${merged}`);
    vocab[merged] = id++;
  }
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specials.map((s, i) => ({
      id: i,
      content: s.content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: postProcessor,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
  const out = join(outDir, `${name}.tokenizer.json`);
  writeFileSync(out, `${JSON.stringify(json)}\n`);

  // Check: the binding loads it, and every training line round-trips.
  const check = tk.Tokenizer.fromFile(out);
  if (check.getVocabSize(true) !== vocabSize) throw new Error(`${name}: vocab ${check.getVocabSize(true)} != ${vocabSize}`);
  console.log(
    `${name}: ${vocabSize} tokens (${specials.length} special + 256 bytes + ${merges.length} of ${full.model.merges.length} merges), ` +
      `trained in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${out}`,
  );
  return out;
}

async function roundTrip(file, corpora) {
  const t = tk.Tokenizer.fromFile(file);
  const sample = corpora.flatMap(lines).slice(0, 2000);
  let tokens = 0;
  let words = 0;
  for (const s of sample) {
    const enc = await t.encode(s, null, { addSpecialTokens: false });
    const back = await t.decode(enc.getIds(), true);
    if (back !== s) throw new Error(`round trip failed: ${JSON.stringify(s)} -> ${JSON.stringify(back)}`);
    tokens += enc.getLength();
    words += s.split(/\s+/).length;
  }
  console.log(`  round trip ok on ${sample.length} lines; ${(tokens / words).toFixed(2)} tokens per word`);
}

const captionSpecials = [{ content: "<|endoftext|>" }];
const lm = train("caption-en", ["train.en.gz"], Number(process.env.LM_VOCAB ?? 4096), captionSpecials, null);
await roundTrip(lm, ["val.en.gz"]);

const bartSpecials = [{ content: "<s>" }, { content: "<pad>" }, { content: "</s>" }, { content: "<unk>" }];
const mt = train("en-de", ["train.en.gz", "train.de.gz"], Number(process.env.MT_VOCAB ?? 8000), bartSpecials, {
  type: "RobertaProcessing",
  sep: ["</s>", 2],
  cls: ["<s>", 0],
  trim_offsets: true,
  add_prefix_space: false,
});
await roundTrip(mt, ["val.en.gz"]);
await roundTrip(mt, ["val.de.gz"]);

// Token ids of every split, for the Python trainers (which have no tokenizer library): one JSON per split and
// language, a list of id lists without special tokens (the trainers add them as the model's conventions want).
const idsDir = join(outDir, "ids");
mkdirSync(idsDir, { recursive: true });
async function encodeAll(tokFile, stem, langs) {
  const t = tk.Tokenizer.fromFile(tokFile);
  for (const split of ["train", "val", "test_2016_flickr"]) {
    for (const lang of langs) {
      const encs = await t.encodeBatch(lines(`${split}.${lang}.gz`), { addSpecialTokens: false });
      writeFileSync(join(idsDir, `${stem}.${split}.${lang}.json`), JSON.stringify(encs.map((e) => e.getIds())));
    }
  }
}
await encodeAll(lm, "caption-en", ["en"]);
await encodeAll(mt, "en-de", ["en", "de"]);
console.log(`ids -> ${idsDir}`);
