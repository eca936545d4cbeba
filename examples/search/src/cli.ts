// The example's command line: index the captions, then answer queries or measure recall.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Table } from "@lancedb/lancedb";
import { createEmbedder, embed } from "@proj/encoder";
import { loadBenchmark, PARAPHRASE_SCORE } from "./data.js";
import { precisionVariants } from "./precisions.js";
import { RECALL_KS, recallAt, recallLine } from "./recall.js";
import { rerankHits } from "./rerank-hits.js";
import {
  type AnnKind,
  buildAnnIndex,
  buildTextIndex,
  type Hit,
  hybridSearch,
  indexDocs,
  openTable,
  search,
  tableModel,
  textSearch,
} from "./store.js";
import { tfidfSearch } from "./tfidf.js";

export const USAGE = `Semantic search over captions with @proj/encoder and LanceDB.

  node dist/main.js [--data DIR] [--db DIR] [--reindex] [--model M] --query "a dog runs on the beach" [--query ...]
  node dist/main.js --eval [--reranker M] [--candidates N] [--index ivf-pq|hnsw-sq] [--hybrid] [--precisions]

  --data DIR       the shared data folder (default $PROJ_SHARED_DIR/data, else ../shared/data beside the repository)
  --db DIR         the LanceDB folder (default ./captions.lancedb); the table "captions" is built once and reused
                   (rebuilt when --model differs)
  --reindex        rebuild the table even if it exists
  --model M        the embedding model (folder or Hub id; default the embedded caption model of @proj/models)
  --k N            results per query (default 10)
  --reranker M     rerank the vector search's candidates with this cross-encoder (folder or Hub id)
  --candidates N   how many candidates the reranker reads (default 50)
  --eval           recall@1/5/10 on STS-B dev paraphrases (gold >= ${PARAPHRASE_SCORE}), with a TF-IDF baseline
  --index KIND     also build an ANN index (ivf-pq or hnsw-sq) and report its recall against the exact search
  --hybrid         also report LanceDB's full-text (BM25) search and a hybrid of it with the vector search (RRF)
  --precisions     also report recall with fewer dimensions, int8 and binary embeddings (in memory)`;

const TABLE = "captions";

/**
 * Runs the example with command-line arguments, writing its report line by line to `print`.
 *
 * @example
 * await run(["--eval", "--db", "/tmp/captions.lancedb"], console.log);
 */
export async function run(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      data: { type: "string" },
      db: { type: "string", default: "captions.lancedb" },
      reindex: { type: "boolean", default: false },
      model: { type: "string" },
      query: { type: "string", multiple: true, default: [] },
      k: { type: "string", default: "10" },
      reranker: { type: "string" },
      candidates: { type: "string", default: "50" },
      eval: { type: "boolean", default: false },
      index: { type: "string" },
      precisions: { type: "boolean", default: false },
      hybrid: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || (!values.eval && values.query.length === 0)) {
    print(USAGE);
    return;
  }
  const k = positive(values.k, "--k");
  const candidates = Math.max(k, positive(values.candidates, "--candidates"));
  const index = values.index === undefined ? undefined : annKind(values.index);
  const dataDir = resolve(values.data ?? defaultDataDir());
  if (!existsSync(join(dataDir, "stsb", "sts-dev.csv"))) {
    throw new Error(`${dataDir} has no stsb/sts-dev.csv: pass --data with the shared data folder (it holds stsb/ and multi30k/)`);
  }

  const bench = loadBenchmark(dataDir);
  const model = values.model;
  const modelName = model ?? "default";
  let table = values.reindex ? undefined : await openTable(values.db, TABLE);
  if (table === undefined || (await tableModel(table)) !== modelName || (await table.countRows()) !== bench.corpus.length) {
    const started = performance.now();
    const embedder = await createEmbedder(model);
    try {
      table = await indexDocs(values.db, TABLE, embedder, bench.corpus, { model: modelName });
    } finally {
      await embedder.dispose();
    }
    print(`indexed ${bench.corpus.length} documents into ${resolve(values.db)} in ${seconds(started)} s`);
  }
  const searchTop = async (text: string, vector: Float32Array, top: number, exact: boolean): Promise<Hit[]> => {
    const hits = await search(table as Table, vector, values.reranker ? Math.max(top, candidates) : top, { exact });
    return values.reranker ? rerankHits(text, hits, values.reranker, top) : hits;
  };

  if (values.query.length > 0) {
    const vectors = await embed(values.query, { model });
    for (const [q, text] of values.query.entries()) {
      print(`\n${text}`);
      const hits = await searchTop(text, vectors[q] as Float32Array, k, false);
      hits.forEach((hit, rank) => {
        const rerankScore = "rerankScore" in hit ? `  rerank ${(hit.rerankScore as number).toFixed(4)}` : "";
        print(`${String(rank + 1).padStart(3)}. cosine ${hit.score.toFixed(4)}${rerankScore}  ${hit.text}`);
      });
    }
  }
  if (!values.eval) return;

  // Recall is reported at 1, 5 and 10 whatever --k says, so each query fetches at least 10 results.
  const depth = Math.max(k, ...RECALL_KS);
  const queries = bench.queries.map((q) => q.text);
  const relevant = bench.queries.map((q) => q.relevant);
  const fromStsb = bench.corpus.filter((d) => d.source === "stsb-dev").length;
  print(
    `corpus: ${bench.corpus.length} documents (${fromStsb} STS-B dev sentence2s, ${bench.corpus.length - fromStsb} Multi30k test_2016 captions)`,
  );
  print(
    `queries: ${queries.length} STS-B dev sentence1s with a gold paraphrase (score >= ${PARAPHRASE_SCORE}) in the corpus; ${bench.dropped} left out (their text is itself a document)`,
  );
  let started = performance.now();
  const vectors = await embed(queries, { model });
  const exact: number[][] = [];
  for (const vector of vectors) exact.push((await search(table, vector, depth, { exact: true })).map((h) => h.id));
  print(`searched ${queries.length} queries (embed + exact LanceDB search) in ${seconds(started)} s`);
  print(recallLine("embed + LanceDB exact", exact, relevant));
  const tfidf = tfidfSearch(
    queries,
    bench.corpus.map((d) => d.text),
    depth,
  );
  print(recallLine("TF-IDF exact", tfidf, relevant));
  // The same, on the queries whose sentences the model never saw in training (not even in other STS-B train pairs).
  const unseen = bench.queries.flatMap((q, i) => (q.seenInTraining ? [] : [i]));
  const only = <T>(rows: readonly T[]): T[] => unseen.map((i) => rows[i] as T);
  print(`unseen: ${unseen.length} of the ${queries.length} queries, neither they nor their answers in STS-B train`);
  print(recallLine("unseen: embed + LanceDB exact", only(exact), only(relevant)));
  print(recallLine("unseen: TF-IDF exact", only(tfidf), only(relevant)));

  if (values.hybrid) {
    started = performance.now();
    await buildTextIndex(table);
    print(`built a full-text (BM25) index in ${seconds(started)} s`);
    const bm25: number[][] = [];
    const hybrid: number[][] = [];
    for (const [q, text] of queries.entries()) {
      bm25.push((await textSearch(table, text, depth)).map((h) => h.id));
      hybrid.push((await hybridSearch(table, text, vectors[q] as Float32Array, depth)).map((h) => h.id));
    }
    print(recallLine("LanceDB full-text BM25", bm25, relevant));
    print(recallLine("LanceDB hybrid: embed + BM25, RRF", hybrid, relevant));
  }

  if (values.reranker) {
    started = performance.now();
    const reranked: number[][] = [];
    for (const [q, text] of queries.entries())
      reranked.push((await searchTop(text, vectors[q] as Float32Array, depth, true)).map((h) => h.id));
    print(`reranked ${candidates} candidates per query in ${seconds(started)} s`);
    print(recallLine(`embed + LanceDB exact + rerank ${candidates} (${values.reranker})`, reranked, relevant));
  }

  if (index) {
    started = performance.now();
    await buildAnnIndex(table, index);
    print(`built a ${index} index on ${bench.corpus.length} vectors in ${seconds(started)} s`);
    for (const refineFactor of [undefined, 10]) {
      const name = refineFactor === undefined ? index : `${index}, refineFactor ${refineFactor}`;
      const approximate: number[][] = [];
      for (const vector of vectors) approximate.push((await search(table, vector, depth, { refineFactor })).map((h) => h.id));
      print(recallLine(`embed + LanceDB ${name}`, approximate, relevant));
      print(`${name}: recall@${depth} against the exact search ${recallAt(approximate, exact, depth).toFixed(3)}`);
    }
    await table.dropIndex("vector_idx");
  }

  if (values.precisions) {
    const corpus = bench.corpus.map((d) => d.text);
    for (const variant of await precisionVariants(queries, corpus, model, depth)) {
      print(recallLine(`embed ${variant.name}, ${variant.bytesPerVector} bytes/vector, exact in memory`, variant.ranked, relevant));
    }
  }
}

/** `$PROJ_SHARED_DIR/data`, else `shared/data` beside the repository (this file is in examples/search/src or dist). */
function defaultDataDir(): string {
  if (process.env.PROJ_SHARED_DIR) return join(process.env.PROJ_SHARED_DIR, "data");
  return fileURLToPath(new URL("../../../../shared/data", import.meta.url));
}

function positive(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return n;
}

function annKind(text: string): AnnKind {
  if (text === "ivf-pq" || text === "hnsw-sq") return text;
  throw new Error(`--index must be ivf-pq or hnsw-sq, got "${text}"`);
}

function seconds(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(1);
}
