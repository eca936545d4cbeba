import { ModelFormatError, type ModelSession, Tensor, type TensorMap } from "@proj/core";
import { int64Tensor, type PaddedBatch } from "@proj/core";

/**
 * An input an encoder task knows how to feed, with the element type the graph declares.
 *
 * @example
 * const kind: FeedKind = { name: "token_type_ids", type: "int64" };
 * @internal
 */
export interface FeedKind {
  name: "input_ids" | "attention_mask" | "token_type_ids" | "position_ids";
  type: "int64" | "int32";
}

const KNOWN = new Set(["input_ids", "attention_mask", "token_type_ids", "position_ids"]);

/**
 * The inputs a graph declares, checked once when the model is opened: an encoder task feeds `input_ids` and,
 * when declared, `attention_mask`, `token_type_ids` and `position_ids`; anything else is a format error.
 *
 * @example
 * feedKinds(session, label); // [{ name: "input_ids", type: "int64" }, ...]
 * @internal
 */
export function feedKinds(session: ModelSession, label: string): FeedKind[] {
  if (!session.hasInput("input_ids")) {
    throw new ModelFormatError(`${label} has no input "input_ids" (its inputs are ${session.inputNames.join(", ")})`, {
      hint: "an encoder task feeds token ids; export the model for its task with Optimum",
    });
  }
  return session.inputs.map((input) => {
    if (!KNOWN.has(input.name)) {
      throw new ModelFormatError(`${label} declares the input "${input.name}", which an encoder task does not know how to feed`, {
        hint: "export the model with Optimum for its task (inputs input_ids, attention_mask, token_type_ids)",
      });
    }
    if (input.type !== undefined && input.type !== "int64" && input.type !== "int32") {
      throw new ModelFormatError(`${label} declares "${input.name}" as ${input.type}; token inputs must be int64 or int32`);
    }
    return { name: input.name as FeedKind["name"], type: input.type === "int32" ? "int32" : "int64" };
  });
}

/**
 * Builds the feeds of one padded batch for the declared inputs, and nothing else.
 *
 * @example
 * const feeds = buildFeeds(kinds, padBatch(encodings, { padId: 0 }));
 * @internal
 */
export function buildFeeds(kinds: readonly FeedKind[], batch: PaddedBatch): TensorMap {
  const feeds: TensorMap = {};
  for (const kind of kinds) {
    const data =
      kind.name === "input_ids"
        ? batch.inputIds
        : kind.name === "attention_mask"
          ? batch.attentionMask
          : kind.name === "token_type_ids"
            ? batch.tokenTypeIds
            : positions(batch);
    feeds[kind.name] =
      kind.type === "int32" ? new Tensor("int32", Int32Array.from(data, Number), batch.dims) : int64Tensor(data, batch.dims);
  }
  return feeds;
}

function positions(batch: PaddedBatch): BigInt64Array {
  const [rows, width] = batch.dims;
  const out = new BigInt64Array(rows * width);
  for (let r = 0; r < rows; r++) for (let i = 0; i < width; i++) out[r * width + i] = BigInt(i);
  return out;
}
