/**
 * A minimal ONNX (protobuf) writer for test models whose answers are known in advance: "keyword" graphs whose
 * logits are a lookup table indexed by token id (`Gather(table, input_ids)`), so a word gets the same logits
 * wherever it stands. They run through ONNX Runtime like any exported model.
 */

class Proto {
  readonly bytes: number[] = [];

  varint(value: number): this {
    let v = value;
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
    return this;
  }

  int(field: number, value: number): this {
    return this.varint(field * 8).varint(value);
  }

  raw(field: number, data: Uint8Array | number[]): this {
    this.varint(field * 8 + 2).varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  str(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }

  msg(field: number, message: Proto): this {
    return this.raw(field, message.bytes);
  }
}

const FLOAT = 1;
const INT64 = 7;

/** A graph input or output: a name, an element type, and symbolic or fixed dimensions. */
export interface ValueSpec {
  name: string;
  type: "float32" | "int64";
  dims: ReadonlyArray<string | number>;
}

/** A float32 lookup table stored in the graph. */
export interface TableSpec {
  name: string;
  dims: readonly number[];
  data: Float32Array;
}

/** One `Gather(table, indices, axis=0)` node. */
export interface GatherSpec {
  table: string;
  indices: string;
  output: string;
}

function valueInfo(spec: ValueSpec): Proto {
  const shape = new Proto();
  for (const d of spec.dims) shape.msg(1, typeof d === "number" ? new Proto().int(1, d) : new Proto().str(2, d));
  const tensorType = new Proto().int(1, spec.type === "int64" ? INT64 : FLOAT).msg(2, shape);
  return new Proto().str(1, spec.name).msg(2, new Proto().msg(1, tensorType));
}

function tensor(spec: TableSpec): Proto {
  const t = new Proto();
  for (const d of spec.dims) t.int(1, d);
  t.int(2, FLOAT).str(8, spec.name);
  return t.raw(9, new Uint8Array(spec.data.buffer, spec.data.byteOffset, spec.data.byteLength));
}

/**
 * Serialises an ONNX model (IR 8, opset 13) made of Gather nodes over float tables.
 *
 * @example
 * const bytes = gatherModel([{ name: "input_ids", type: "int64", dims: ["b", "s"] }], [...], [...], [...]);
 */
export function gatherModel(
  inputs: readonly ValueSpec[],
  outputs: readonly ValueSpec[],
  tables: readonly TableSpec[],
  nodes: readonly GatherSpec[],
): Uint8Array {
  const graph = new Proto();
  nodes.forEach((n, i) => {
    const axis = new Proto().str(1, "axis").int(3, 0).int(20, 2);
    graph.msg(1, new Proto().str(1, n.table).str(1, n.indices).str(2, n.output).str(3, `gather_${i}`).str(4, "Gather").msg(5, axis));
  });
  graph.str(2, "keyword");
  for (const t of tables) graph.msg(5, tensor(t));
  for (const v of inputs) graph.msg(11, valueInfo(v));
  for (const v of outputs) graph.msg(12, valueInfo(v));
  const model = new Proto().int(1, 8).str(2, "proj-encoder-tests").msg(7, graph).msg(8, new Proto().str(1, "").int(2, 13));
  return Uint8Array.from(model.bytes);
}
