/**
 * What every scenario needs: model folders (tiny fixtures and bench-size models), the shared data sets,
 * transformers.js set for local folders, and the options of this run.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURES_DIR = join(REPO_ROOT, "packages", "testing", "fixtures");
export const BENCH_MODELS_DIR = process.env.PROJ_BENCH_MODELS ?? join(REPO_ROOT, ".cache", "bench-models");

/**
 * A model folder by size: `"tiny"` is a committed fixture (SDK overhead dominates), `"bench"` a bench-size
 * random-weight model with the shape of a real one (built on demand by bench_models.py).
 * @param {"encoder" | "embedding" | "decoder" | "seq2seq"} kind
 * @param {"tiny" | "bench"} size
 */
export function modelDir(kind, size) {
  const tiny = { encoder: "bert-seq-cls", embedding: "bert-embed", decoder: "gpt2", seq2seq: "t5" }[kind];
  const bench = { encoder: "distilbert", embedding: "minilm", decoder: "gpt2", seq2seq: "t5" }[kind];
  return size === "tiny" ? join(FIXTURES_DIR, tiny) : join(BENCH_MODELS_DIR, bench);
}

/** How the models are described in reports. */
export const MODEL_LABELS = {
  "encoder:tiny": "tiny BERT fixture (hidden 8, 2 layers)",
  "encoder:bench": "DistilBERT-shaped (6 layers, dim 768, 67M params)",
  "embedding:tiny": "tiny BERT embedding fixture (hidden 8, 2 layers)",
  "embedding:bench": "MiniLM-shaped, as all-MiniLM-L6-v2 (6 layers, hidden 384, 23M params)",
  "decoder:tiny": "tiny GPT-2 fixture (n_embd 16, 2 layers)",
  "decoder:bench": "GPT-2-small-shaped (12 layers, n_embd 768, 124M params)",
  "seq2seq:tiny": "tiny T5 fixture (d_model 8)",
  "seq2seq:bench": "T5-small-shaped (6+6 layers, d_model 512, 60M params)",
};

/** Reads a model's config.json. */
export function readConfig(dir) {
  return JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
}

/** The shared data folder (`../shared/data`, or `$PROJ_SHARED_DIR/data`), or undefined. */
export function dataDir() {
  const candidates = [process.env.PROJ_SHARED_DIR && join(process.env.PROJ_SHARED_DIR, "data"), resolve(REPO_ROOT, "..", "shared", "data")];
  return candidates.find((d) => d && existsSync(d));
}

function requireData() {
  const dir = dataDir();
  if (!dir) throw new Error("../shared/data is absent: the benchmarks read SST-2 and Multi30k from it (set PROJ_SHARED_DIR to its parent)");
  return dir;
}

/** The 872 sentences of the SST-2 dev set. */
export function sst2Dev() {
  return readFileSync(join(requireData(), "sst2", "dev.tsv"), "utf8")
    .split("\n")
    .map((l) => l.split("\t"))
    .filter(([text, label], i) => text && label !== undefined && !(i === 0 && text === "sentence"))
    .map(([text]) => text);
}

/** Multi30k validation sentences in one language ("en", "de", "fr"): 1,014 lines. */
export function multi30k(lang = "en") {
  return gunzipSync(readFileSync(join(requireData(), "multi30k", `val.${lang}.gz`)))
    .toString("utf8")
    .split("\n")
    .filter((s) => s.trim() !== "");
}

let transformers;
/** `@huggingface/transformers`, set for local folders only (no Hub access, no cache). */
export async function loadTransformers() {
  if (!transformers) {
    const mod = await import("@huggingface/transformers");
    mod.env.allowRemoteModels = false;
    mod.env.allowLocalModels = true;
    mod.env.localModelPath = "";
    mod.env.useBrowserCache = false;
    mod.env.useFSCache = false;
    transformers = mod;
  }
  return transformers;
}

/** transformers.js loading options: fp32 files and the run's intra-op thread count. */
export function tjsOptions(threads) {
  return { dtype: "fp32", session_options: { intraOpNumThreads: threads } };
}

/**
 * Builds prompts of exactly `length` tokens (by the given encode function) from real sentences, each starting
 * at a different sentence so prompts differ.
 * @param {(text: string) => Promise<number[]>} encode
 * @param {(ids: number[]) => Promise<string>} decode
 */
export async function promptsOfLength(sentences, count, length, encode, decode) {
  const prompts = [];
  for (let p = 0; prompts.length < count && p < count * 10; p++) {
    let text = "";
    for (let i = p * 7; (await encode(text)).length < length + 8; i++) text += `${sentences[i % sentences.length]} `;
    const all = await encode(text);
    // Re-encoding a cut text can merge or split the last token: try cuts around `length` until one round-trips.
    for (const n of [length, length - 1, length + 1, length - 2, length + 2]) {
      const cut = await decode(all.slice(0, n));
      if ((await encode(cut)).length === length) {
        prompts.push(cut);
        break;
      }
    }
  }
  if (prompts.length < count) throw new Error(`could not build ${count} prompts of exactly ${length} tokens`);
  return prompts;
}
