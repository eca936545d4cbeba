// The evaluation set: a caption corpus with queries whose right answers are known, built from the shared data.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** One document of the corpus: its row id in the table, its text and where it comes from. */
export interface Doc {
  id: number;
  text: string;
  source: "stsb-dev" | "multi30k-test";
}

/** One query with the ids of the documents that answer it (gold paraphrases). */
export interface Query {
  text: string;
  relevant: number[];
  /**
   * True when the query or one of its answers also occurs, in another pair, in STS-B `sts-train.csv` (STS-B reuses
   * sentences across splits), which the embedded model was trained on: recall is also reported without these.
   */
  seenInTraining: boolean;
}

/** The corpus to index and the queries to ask it. */
export interface Benchmark {
  corpus: Doc[];
  queries: Query[];
  /** Queries left out because their own text is a document of the corpus (the search would find the same sentence). */
  dropped: number;
}

/** The gold score a pair needs for its sentence2 to count as the answer to its sentence1 ("4: mostly equivalent"). */
export const PARAPHRASE_SCORE = 4;

/**
 * Builds the held-out search benchmark (neither file was used to train the embedded model):
 * - corpus: every distinct `sentence2` of STS-B `sts-dev.csv` (1,500 pairs), then the distinct captions of Multi30k
 *   `test_2016_flickr.en` as distractors of the same kind;
 * - queries: every distinct `sentence1` of a dev pair scored >= {@link PARAPHRASE_SCORE}; its answers are the
 *   `sentence2`s it is paired with at that score. The dev pairs were never trained on, but STS-B repeats some
 *   sentences across splits: `seenInTraining` marks the queries where the query or an answer is in `sts-train.csv`.
 *
 * @example
 * const { corpus, queries } = loadBenchmark("../shared/data");
 */
export function loadBenchmark(dataDir: string): Benchmark {
  const pairs = readFileSync(join(dataDir, "stsb", "sts-dev.csv"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      // Tab-separated, no header, no quoting; some lines carry 2 extra fields: the first 7 are the pair.
      const fields = line.split("\t");
      return { score: Number(fields[4]), a: (fields[5] ?? "").trim(), b: (fields[6] ?? "").trim() };
    });
  const captions = gunzipSync(readFileSync(join(dataDir, "multi30k", "test_2016_flickr.en.gz")))
    .toString("utf8")
    .split("\n")
    .map((line) => line.trim());

  const corpus: Doc[] = [];
  const idOf = new Map<string, number>();
  const add = (text: string, source: Doc["source"]): void => {
    if (text === "" || idOf.has(text)) return;
    idOf.set(text, corpus.length);
    corpus.push({ id: corpus.length, text, source });
  };
  for (const pair of pairs) add(pair.b, "stsb-dev");
  for (const caption of captions) add(caption, "multi30k-test");

  const answers = new Map<string, Set<number>>();
  for (const pair of pairs) {
    if (pair.score < PARAPHRASE_SCORE || pair.a === "") continue;
    const set = answers.get(pair.a) ?? new Set<number>();
    set.add(idOf.get(pair.b) as number);
    answers.set(pair.a, set);
  }
  const trained = new Set(
    readFileSync(join(dataDir, "stsb", "sts-train.csv"), "utf8")
      .split("\n")
      .flatMap((line) => line.split("\t").slice(5, 7))
      .map((text) => text.trim()),
  );
  const queries: Query[] = [];
  let dropped = 0;
  for (const [text, relevant] of answers) {
    if (idOf.has(text)) dropped++;
    else {
      const seenInTraining = trained.has(text) || [...relevant].some((id) => trained.has((corpus[id] as Doc).text));
      queries.push({ text, relevant: [...relevant], seenInTraining });
    }
  }
  return { corpus, queries, dropped };
}
