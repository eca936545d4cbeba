import { type TensorMap, int64Tensor } from "../../src/index.js";

/** Feeds for one BERT row (`[CLS] hello [SEP]` unless ids are given): ids, a mask of ones, segment ids of zeros. */
export function bertFeeds(inputNames: readonly string[], ids: readonly bigint[] = [101n, 7592n, 102n]): TensorMap {
  const values: Record<string, BigInt64Array> = {
    input_ids: BigInt64Array.from(ids),
    attention_mask: new BigInt64Array(ids.length).fill(1n),
    token_type_ids: new BigInt64Array(ids.length),
  };
  return Object.fromEntries(inputNames.map((name) => [name, int64Tensor(values[name] ?? new BigInt64Array(ids.length), [1, ids.length])]));
}
