// The vector store: a LanceDB table of (id, text, vector) rows on disk, filled in batches and searched by cosine.
import { connect, Index, rerankers, type Table } from "@lancedb/lancedb";
import type { TextEmbedder } from "@proj/encoder";
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from "apache-arrow";

/** A row of the table. */
export interface DocRow {
  id: number;
  text: string;
}

/** A search result: the row and its cosine similarity to the query (1 - LanceDB's cosine distance). */
export interface Hit extends DocRow {
  score: number;
}

/**
 * The approximate (ANN) indexes the example can build: IVF-PQ (vectors compressed to 8-bit codes of 8-dimension
 * pieces, searched in the nearest partitions) or IVF-HNSW-SQ (a graph per partition over int8-quantized vectors).
 */
export type AnnKind = "ivf-pq" | "hnsw-sq";

/**
 * The table's schema: the vector column is a fixed-size list of float32, the type LanceDB indexes and searches. The
 * embedding model's name is kept in the schema's metadata, so a table made with another model is not reused.
 *
 * @example
 * docSchema(128, "default");
 */
export function docSchema(dimensions: number, model: string): Schema {
  return new Schema(
    [
      new Field("id", new Int32(), false),
      new Field("text", new Utf8(), false),
      new Field("vector", new FixedSizeList(dimensions, new Field("item", new Float32(), true)), false),
    ],
    new Map([[MODEL_KEY, model]]),
  );
}

const MODEL_KEY = "embedding_model";

/**
 * The name of the embedding model a table was made with (see {@link docSchema}), if it says.
 *
 * @example
 * if ((await tableModel(table)) !== "default") table = await indexDocs(...);
 */
export async function tableModel(table: Table): Promise<string | undefined> {
  return (await table.schema()).metadata.get(MODEL_KEY);
}

/**
 * Opens the table `name` of the LanceDB database in folder `dir`, or `undefined` when it does not exist yet.
 *
 * @example
 * const table = await openTable("./captions.lancedb", "captions");
 */
export async function openTable(dir: string, name: string): Promise<Table | undefined> {
  const db = await connect(dir);
  return (await db.tableNames()).includes(name) ? db.openTable(name) : undefined;
}

/**
 * Embeds the documents in batches and writes them to a new table (replacing one of the same name): one
 * `embed()` call and one `table.add()` per `batchSize` documents, so memory stays flat however big the corpus.
 * `model` names the embedder's model in the table (see {@link tableModel}).
 *
 * @example
 * const embedder = await createEmbedder();
 * const table = await indexDocs("./captions.lancedb", "captions", embedder, docs, { model: "default" });
 */
export async function indexDocs(
  dir: string,
  name: string,
  embedder: TextEmbedder & { readonly dimensions: number },
  docs: readonly DocRow[],
  options: { model: string; batchSize?: number; onBatch?: (done: number) => void },
): Promise<Table> {
  const db = await connect(dir);
  const table = await db.createEmptyTable(name, docSchema(embedder.dimensions, options.model), { mode: "overwrite" });
  const batchSize = options.batchSize ?? 512;
  for (let start = 0; start < docs.length; start += batchSize) {
    const batch = docs.slice(start, start + batchSize);
    // Float32Array rows, normalized by the model's Normalize module: cosine and dot rank them alike.
    const vectors = await embedder.embed(batch.map((d) => d.text));
    await table.add(batch.map((d, i) => ({ id: d.id, text: d.text, vector: vectors[i] as Float32Array })));
    options.onBatch?.(start + batch.length);
  }
  return table;
}

/**
 * The `k` rows nearest to a query vector by cosine, best first. `exact` scans every row (a flat search: what a
 * table without an index does anyway, and the ground truth to measure an ANN index against); otherwise an index,
 * if the table has one, answers, looking into `nprobes` partitions and re-scoring `refineFactor * k` candidates
 * on the full vectors.
 *
 * @example
 * const [query] = await embed(["a dog runs on the beach"]);
 * const hits = await search(table, query, 10, { exact: true });
 */
export async function search(
  table: Table,
  vector: Float32Array,
  k: number,
  options: { exact?: boolean; nprobes?: number; refineFactor?: number } = {},
): Promise<Hit[]> {
  let query = table.vectorSearch(vector).column("vector").distanceType("cosine").select(["id", "text", "_distance"]).limit(k);
  if (options.exact) query = query.bypassVectorIndex();
  else {
    if (options.nprobes !== undefined) query = query.nprobes(options.nprobes);
    if (options.refineFactor !== undefined) query = query.refineFactor(options.refineFactor);
  }
  const rows = (await query.toArray()) as Array<DocRow & { _distance: number }>;
  return rows.map((row) => ({ id: row.id, text: row.text, score: 1 - row._distance }));
}

/**
 * Builds an approximate index on the vector column, trained for the cosine metric the searches use.
 * Partitions: about sqrt(rows), as LanceDB suggests; IVF-PQ cuts the vectors into sub-vectors of 8 dimensions
 * (16 for the embedded model's 128).
 *
 * @example
 * await buildAnnIndex(table, "ivf-pq");
 */
export async function buildAnnIndex(table: Table, kind: AnnKind): Promise<void> {
  const rows = await table.countRows();
  const numPartitions = Math.max(1, Math.round(Math.sqrt(rows)));
  const vector = (await table.schema()).fields.find((f) => f.name === "vector")?.type as FixedSizeList | undefined;
  const numSubVectors = Math.max(1, Math.floor((vector?.listSize ?? 8) / 8));
  const config =
    kind === "ivf-pq"
      ? Index.ivfPq({ distanceType: "cosine", numPartitions, numSubVectors })
      : Index.hnswSq({ distanceType: "cosine", numPartitions });
  await table.createIndex("vector", { config, replace: true });
}

/**
 * Builds LanceDB's full-text (BM25) index on the text column, for {@link textSearch} and {@link hybridSearch}.
 *
 * @example
 * await buildTextIndex(table);
 */
export async function buildTextIndex(table: Table): Promise<void> {
  await table.createIndex("text", { config: Index.fts(), replace: true });
}

/**
 * The `k` rows that match the words of `text` best by BM25 (needs {@link buildTextIndex}); `score` is BM25's.
 *
 * @example
 * const hits = await textSearch(table, "dog running in the grass", 10);
 */
export async function textSearch(table: Table, text: string, k: number): Promise<Hit[]> {
  const rows = (await table.search(text, "fts").select(["id", "text", "_score"]).limit(k).toArray()) as Array<DocRow & { _score: number }>;
  return rows.map((row) => ({ id: row.id, text: row.text, score: row._score }));
}

/**
 * Hybrid search: the exact vector search and the BM25 search, merged by reciprocal rank fusion (each row scores
 * the sum of 1 / (60 + its rank) over the two lists); `score` is the fused score. Needs {@link buildTextIndex}.
 *
 * @example
 * const [query] = await embed(["dog running in the grass"]);
 * const hits = await hybridSearch(table, "dog running in the grass", query, 10);
 */
export async function hybridSearch(table: Table, text: string, vector: Float32Array, k: number): Promise<Hit[]> {
  const rows = (await table
    .query()
    .fullTextSearch(text)
    .nearestTo(vector)
    .column("vector")
    .distanceType("cosine")
    .bypassVectorIndex()
    .rerank(await rerankers.RRFReranker.create())
    .select(["id", "text"])
    .limit(k)
    .toArray()) as Array<DocRow & { _relevance_score: number }>;
  return rows.map((row) => ({ id: row.id, text: row.text, score: row._relevance_score }));
}
