import Long from "long";
import protobuf from "protobufjs/light.js";
import { ONNX_SCHEMA } from "./onnx-schema.js";

// int64 fields (shapes, Slice ends of INT64_MAX, Constant values) must round-trip exactly: decode them as Long,
// whether or not protobufjs found the `long` package itself (it looks with a CommonJS require, absent in ESM).
protobuf.util.Long = Long;
protobuf.configure();

/** An int64 as protobufjs decodes it (a Long) or as this code writes it (a number). */
export type Int64 = Long | number;

/** One dimension of a declared shape: a size, a symbolic name, or neither. */
export interface DimProto {
  dimValue?: Int64;
  dimParam?: string;
}

/** A declared input, output or intermediate value (`ValueInfoProto`, only the fields read here). */
export interface ValueInfoProto {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: DimProto[] } } };
}

/** A tensor (`TensorProto`): initializers and Constant values. */
export interface TensorProto {
  name?: string;
  dims?: Int64[];
  dataType?: number;
  rawData?: Uint8Array;
  /** 1 when the values live in an external file (`DataLocation.EXTERNAL`). */
  dataLocation?: number;
  /** Where external values are (`location`, `offset`, `length`). */
  externalData?: Array<{ key?: string; value?: string }>;
}

/** A node attribute (`AttributeProto`); `type` is ONNX's AttributeType (2 INT, 4 TENSOR, 5 GRAPH ...). */
export interface AttributeProto {
  name?: string;
  type?: number;
  i?: Int64;
  t?: TensorProto;
  g?: GraphProto;
}

/** A node (`NodeProto`). */
export interface NodeProto {
  name?: string;
  opType?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: AttributeProto[];
}

/** A graph or subgraph (`GraphProto`). */
export interface GraphProto {
  name?: string;
  node?: NodeProto[];
  initializer?: TensorProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
}

/** A whole model file (`ModelProto`), only the fields read or edited here; every other field is carried along. */
export interface ModelProto {
  irVersion?: Int64;
  opsetImport?: Array<{ domain?: string; version?: Int64 }>;
  graph?: GraphProto;
}

const root = protobuf.Root.fromJSON(ONNX_SCHEMA);
const MODEL = root.lookupType("onnx.ModelProto");

/**
 * Decodes an ONNX file's bytes. Large byte fields (weights) are views of `bytes`, not copies.
 *
 * @example
 * const model = decodeModel(await readFile("model.onnx"));
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return MODEL.decode(bytes) as unknown as ModelProto;
}

/**
 * Encodes a model back to ONNX bytes.
 *
 * @example
 * const bytes = encodeModel(model);
 */
/**
 * True when a tensor's values live in an external file (`model.onnx_data`) rather than in the model.
 *
 * @example
 * if (isExternalTensor(initializer)) throw new ModelFormatError("external data");
 */
export function isExternalTensor(tensor: TensorProto): boolean {
  return tensor.dataLocation === 1 || (tensor.externalData?.length ?? 0) > 0;
}

/**
 * True when a graph (its initializers, its constant attributes, its subgraphs) keeps values in external files.
 *
 * @example
 * hasExternalData(model.graph); // true for a model over 2 GB exported with model.onnx_data
 */
export function hasExternalData(graph: GraphProto): boolean {
  if ((graph.initializer ?? []).some(isExternalTensor)) return true;
  return (graph.node ?? []).some((n) =>
    (n.attribute ?? []).some((a) => (a.g ? hasExternalData(a.g) : a.t ? isExternalTensor(a.t) : false)),
  );
}

export function encodeModel(model: ModelProto): Uint8Array {
  return MODEL.encode(model as unknown as protobuf.Message).finish();
}

/**
 * The size {@link encodeModel} would give, without writing the bytes (the writer only queues the large fields, it
 * copies them when finished): cheap even for a model of hundreds of MB.
 *
 * @example
 * encodedSize(decodeModel(bytes)) === bytes.length; // true when every field was known to the schema
 */
export function encodedSize(model: ModelProto): number {
  return MODEL.encode(model as unknown as protobuf.Message).len;
}

/**
 * A number from an int64 field.
 *
 * @example
 * toNumber(model.irVersion); // 7
 */
export function toNumber(value: Int64 | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "number" ? value : value.toNumber();
}
