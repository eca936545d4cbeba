// What smaller vectors cost in recall: Matryoshka-style truncation (`dimensions`) and int8 / binary codes.
import { calibrationRanges, embed, semanticSearch } from "@proj/encoder";

/** One variant's ranked corpus ids per query. */
export interface VariantResult {
  name: string;
  bytesPerVector: number;
  ranked: number[][];
}

/**
 * Embeds corpus and queries again in smaller forms and searches them exactly in memory (LanceDB's vector column
 * is float32; these show what the other forms would keep): fewer `dimensions`, `precision: "int8"` calibrated on
 * the corpus, and `precision: "ubinary"` compared by Hamming distance.
 *
 * @example
 * const variants = await precisionVariants(queries, corpus, undefined, 10);
 */
export async function precisionVariants(
  queries: string[],
  corpus: string[],
  model: string | undefined,
  k: number,
): Promise<VariantResult[]> {
  const results: VariantResult[] = [];
  const ids = (hits: Array<Array<{ corpusId: number }>>): number[][] => hits.map((row) => row.map((h) => h.corpusId));
  const full = await embed(corpus, { model });
  const width = full[0]?.length ?? 0;
  for (const dimensions of [width / 2, width / 4]) {
    const q = await embed(queries, { model, dimensions });
    const c = await embed(corpus, { model, dimensions });
    results.push({ name: `dimensions ${dimensions}`, bytesPerVector: 4 * dimensions, ranked: ids(semanticSearch(q, c, { topK: k })) });
  }
  const ranges = calibrationRanges(full);
  const q8 = await embed(queries, { model, precision: "int8", ranges });
  const c8 = await embed(corpus, { model, precision: "int8", ranges });
  results.push({ name: "int8", bytesPerVector: width, ranked: ids(semanticSearch(q8, c8, { topK: k })) });
  const qb = await embed(queries, { model, precision: "ubinary" });
  const cb = await embed(corpus, { model, precision: "ubinary" });
  results.push({ name: "ubinary (Hamming)", bytesPerVector: width / 8, ranked: qb.map((q) => hammingTopK(q, cb, k)) });
  return results;
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x > 0; x >>= 1) n += x & 1;
  return n;
});

/**
 * The `k` packed bit vectors nearest to `query` by Hamming distance (bits that differ), ties to the lower index.
 *
 * @example
 * hammingTopK(Uint8Array.of(0b1010), [Uint8Array.of(0b0101), Uint8Array.of(0b1000)], 1); // [1]
 */
export function hammingTopK(query: Uint8Array, corpus: readonly Uint8Array[], k: number): number[] {
  return corpus
    .map((row, id) => {
      let d = 0;
      for (let i = 0; i < row.length; i++) d += POPCOUNT[(row[i] as number) ^ (query[i] as number)] as number;
      return { id, d };
    })
    .sort((x, y) => x.d - y.d || x.id - y.id)
    .slice(0, k)
    .map((hit) => hit.id);
}
