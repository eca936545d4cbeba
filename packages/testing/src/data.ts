import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/**
 * Real sentences from the shared data sets: SST-2 (train + dev), Multi30k (en, de, fr)
 * and CoNLL-2003 (tokens joined back into sentences), interleaved so any prefix mixes sources.
 *
 * @example
 * const sentences = realSentences(dataDir, 2000);
 */
export function realSentences(dataDir: string, count: number): string[] {
  const sources = [
    tsvFirstColumn(join(dataDir, "sst2", "dev.tsv")),
    gzLines(join(dataDir, "multi30k", "val.en.gz")),
    gzLines(join(dataDir, "multi30k", "val.de.gz")),
    gzLines(join(dataDir, "multi30k", "val.fr.gz")),
    conllSentences(join(dataDir, "conll2003", "eng.testa")),
    tsvFirstColumn(join(dataDir, "sst2", "train.tsv")),
  ];
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    let any = false;
    for (const source of sources) {
      const line = source[i];
      if (line === undefined) continue;
      any = true;
      if (out.length < count) out.push(line);
    }
    if (!any) break;
  }
  return out;
}

/**
 * The labelled SST-2 dev set: `{ text, label }` with label 1 = positive.
 *
 * @example
 * const dev = sst2(dataDir, "dev"); // 872 rows
 */
export function sst2(dataDir: string, split: "train" | "dev"): Array<{ text: string; label: number }> {
  return readFileSync(join(dataDir, "sst2", `${split}.tsv`), "utf8")
    .split("\n")
    .filter((l) => l.includes("\t"))
    .map((l) => {
      const [text = "", label = "0"] = l.split("\t");
      return { text, label: Number(label) };
    })
    .filter((r) => Number.isInteger(r.label) && r.text !== "sentence");
}

function tsvFirstColumn(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .map((l) => l.split("\t")[0] ?? "")
    .filter((s, i) => s.trim() !== "" && !(i === 0 && s === "sentence"));
}

function gzLines(path: string): string[] {
  return gunzipSync(readFileSync(path))
    .toString("utf8")
    .split("\n")
    .filter((s) => s.trim() !== "");
}

function conllSentences(path: string): string[] {
  const sentences: string[] = [];
  let words: string[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "" || line.startsWith("-DOCSTART-")) {
      if (words.length) sentences.push(words.join(" "));
      words = [];
    } else {
      words.push(line.split(" ")[0] ?? "");
    }
  }
  if (words.length) sentences.push(words.join(" "));
  return sentences;
}
