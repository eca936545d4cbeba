// A bag-of-words baseline, so the embedding's recall means something: TF-IDF vectors and exact cosine search.

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * Exact TF-IDF cosine search over a corpus: lowercased word tokens, IDF smoothed as scikit-learn's
 * (`ln((1 + N) / (1 + df)) + 1`) and counted on the corpus itself. Returns the ranked corpus ids of each query.
 *
 * @example
 * tfidfSearch(["a dog runs"], ["a cat sleeps", "the dog is running"], 1); // [[1]]
 */
export function tfidfSearch(queries: readonly string[], corpus: readonly string[], k: number): number[][] {
  const df = new Map<string, number>();
  for (const doc of corpus) for (const w of new Set(words(doc))) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w: string): number => Math.log((1 + corpus.length) / (1 + (df.get(w) ?? 0))) + 1;
  const vector = (text: string): Map<string, number> => {
    const v = new Map<string, number>();
    for (const w of words(text)) v.set(w, (v.get(w) ?? 0) + 1);
    let norm = 0;
    for (const [w, tf] of v) {
      v.set(w, tf * idf(w));
      norm += (tf * idf(w)) ** 2;
    }
    for (const [w, x] of v) v.set(w, x / Math.sqrt(norm));
    return v;
  };
  const docs = corpus.map(vector);
  return queries.map((query) => {
    const q = vector(query);
    const scores = docs.map((d, id) => {
      let s = 0;
      for (const [w, x] of q) s += x * (d.get(w) ?? 0);
      return { id, s };
    });
    return scores
      .sort((x, y) => y.s - x.s || x.id - y.id)
      .slice(0, k)
      .map((hit) => hit.id);
  });
}
