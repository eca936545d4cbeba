import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto } from "../onnx-proto.js";
import { toNumber } from "../onnx-proto.js";
import type { QuantizedOp, QuantizeMode, SkippedOp } from "./quantize-options.js";
import { quantizeWeights, transpose } from "./quantize-weights.js";
import { DATA_TYPE, floatValues, makeTensor, tensorDims } from "./tensor-data.js";

/** What {@link quantizeGraph} changed. */
export interface GraphQuantization {
  quantized: QuantizedOp[];
  skipped: SkippedOp[];
  weightBytes: { before: number; after: number };
}

/** An attribute with the float field (`f`) that Gemm's alpha and beta use. */
interface FloatAttributeProto extends AttributeProto {
  f?: number;
}

/** The int8 initializers made from one float32 weight, shared by every node that multiplies by it. */
interface QuantizedWeight {
  values: string;
  scale: string;
  zeroPoint: string;
  shape: [number, number];
}

/**
 * A constant weight a MatMul may read: an initializer, and the graph that holds it (the outer graph for weights used
 * inside If branches), or a `Transpose` of one (PyTorch exports `nn.Linear` weights so when not constant-folded).
 */
interface Owned {
  tensor: TensorProto;
  graph: GraphProto;
  /** The Transpose node the weight is read through, if any. */
  transpose?: NodeProto;
}

const MICROSOFT = "com.microsoft";

/**
 * Rewrites a model in place so that every MatMul and Gemm that multiplies by a float32 2-D initializer runs on int8
 * weights, the activation being quantized at run time (dynamic quantization): with `mode: "matmul-integer"`
 * `DynamicQuantizeLinear` + `MatMulInteger` + `Cast` + `Mul`, with `"fused"` one `com.microsoft.DynamicQuantizeMatMul`.
 * Weights are symmetric int8 (zero point 0), one scale per weight or per output column. Subgraphs (the
 * branches of a merged decoder's `If`) are rewritten too; their weights may be initializers of an outer graph, and the
 * int8 initializers are put where the float32 one was. A float32 weight that nothing else reads is removed.
 * Embedding tables (Gather), norms, biases and MatMuls by computed values are left in float32.
 *
 * @example
 * const model = decodeModel(bytes);
 * const { quantized, skipped } = quantizeGraph(model, { perChannel: false, mode: "matmul-integer" });
 */
export function quantizeGraph(model: ModelProto, options: { perChannel: boolean; mode: QuantizeMode }): GraphQuantization {
  const graph = model.graph as GraphProto;
  const result: GraphQuantization = { quantized: [], skipped: [], weightBytes: { before: 0, after: 0 } };
  const done = new Map<string, QuantizedWeight>();
  const taken = new Set<string>();
  collectNames(graph, taken);
  const reads = readCounts(graph);
  /** Transposes of weights that the graph also reads elsewhere: the transposed name and the weight's. */
  const tied = new Map<string, string>();
  const rewrite = (g: GraphProto, scope: ReadonlyMap<string, Owned>): void => {
    const inner = new Map(scope);
    for (const input of g.input ?? []) inner.delete(input.name ?? "");
    for (const tensor of g.initializer ?? []) inner.set(tensor.name ?? "", { tensor, graph: g });
    for (const node of g.node ?? []) {
      const source = node.opType === "Transpose" && (node.domain ?? "") === "" ? inner.get(node.input?.[0] ?? "") : undefined;
      if (!source || source.transpose || !isSwap(node)) continue;
      // A weight that the graph also reads elsewhere (a tied embedding's Gather) would gain an int8 copy: left alone.
      if ((reads.get(source.tensor.name ?? "") ?? 0) > 1) {
        tied.set(node.output?.[0] ?? "", source.tensor.name ?? "");
        continue;
      }
      inner.set(node.output?.[0] ?? "", { ...source, transpose: node });
    }
    for (const node of g.node ?? []) for (const a of node.attribute ?? []) if (a.g) rewrite(a.g, inner);
    const nodes: NodeProto[] = [];
    for (const node of g.node ?? []) {
      const replaced = (node.domain ?? "") === "" ? quantizeNode(node, inner, tied, options, done, taken, result) : undefined;
      nodes.push(...(replaced ?? [node]));
    }
    g.node = nodes;
  };
  rewrite(graph, new Map());
  if (result.quantized.length && options.mode === "fused" && !model.opsetImport?.some((o) => o.domain === MICROSOFT)) {
    model.opsetImport = [...(model.opsetImport ?? []), { domain: MICROSOFT, version: 1 }];
  }
  removeUnused(graph, done);
  return result;
}

function quantizeNode(
  node: NodeProto,
  scope: ReadonlyMap<string, Owned>,
  tied: ReadonlyMap<string, string>,
  options: { perChannel: boolean; mode: QuantizeMode },
  done: Map<string, QuantizedWeight>,
  taken: Set<string>,
  result: GraphQuantization,
): NodeProto[] | undefined {
  const opType = node.opType ?? "";
  if (opType !== "MatMul" && opType !== "Gemm") return undefined;
  const label = node.name || node.output?.[0] || opType;
  const skip = (reason: string): undefined => {
    result.skipped.push({ node: label, opType, reason });
    return undefined;
  };
  const [a = "", b = "", c = ""] = node.input ?? [];
  const owned = scope.get(b);
  if (!owned) {
    // A product of two computed values (attention scores) has no weight: not a candidate, not reported.
    const weight = tied.get(b);
    return weight === undefined
      ? undefined
      : skip(
          `its weight is the transpose of "${weight}", which the graph also reads elsewhere (a tied embedding): an int8 copy would add size`,
        );
  }
  const { tensor } = owned;
  if (tensor.dataType !== DATA_TYPE.float) return skip(`its weight "${b}" is of ONNX data type ${tensor.dataType}, not float32`);
  const dims = tensorDims(tensor);
  if (dims.length !== 2) return skip(`its weight "${b}" has ${dims.length} dimensions, not 2`);
  let transB = false;
  if (opType === "Gemm") {
    const attr = (name: string) => node.attribute?.find((x) => x.name === name) as FloatAttributeProto | undefined;
    const f = (name: string) => attr(name)?.f ?? 1;
    if ((toNumber(attr("transA")?.i) ?? 0) !== 0) return skip("it transposes its input (transA=1)");
    if (f("alpha") !== 1) return skip(`its alpha is ${f("alpha")}, not 1`);
    if (c && f("beta") !== 1) return skip(`its beta is ${f("beta")}, not 1`);
    transB = (toNumber(attr("transB")?.i) ?? 0) !== 0;
  }
  if (owned.transpose) transB = !transB;
  const key = `${tensor.name ?? ""}${transB ? "/T" : ""}`;
  let weight = done.get(key);
  if (!weight) {
    weight = addQuantizedWeight(owned, transB, options.perChannel, taken, result);
    done.set(key, weight);
  }
  result.quantized.push({ node: label, opType, weight: tensor.name ?? b, shape: weight.shape });
  const output = node.output?.[0] ?? "";
  const base = unique(node.name || output, taken);
  const product = c ? unique(`${base}/product`, taken) : output;
  const nodes: NodeProto[] = [];
  if (options.mode === "fused") {
    nodes.push({
      name: unique(`${base}/DynamicQuantizeMatMul`, taken),
      opType: "DynamicQuantizeMatMul",
      domain: MICROSOFT,
      input: [a, weight.values, weight.scale, weight.zeroPoint],
      output: [product],
    });
  } else {
    const [aq, aScale, aZero, integer, float, scale] = ["quantized", "scale", "zero_point", "integer", "float", "scales"].map((s) =>
      unique(`${base}/${s}`, taken),
    ) as [string, string, string, string, string, string];
    nodes.push(
      { name: unique(`${base}/DynamicQuantizeLinear`, taken), opType: "DynamicQuantizeLinear", input: [a], output: [aq, aScale, aZero] },
      {
        name: unique(`${base}/MatMulInteger`, taken),
        opType: "MatMulInteger",
        input: [aq, weight.values, aZero, weight.zeroPoint],
        output: [integer],
      },
      {
        name: unique(`${base}/Cast`, taken),
        opType: "Cast",
        input: [integer],
        output: [float],
        attribute: [{ name: "to", type: 2, i: DATA_TYPE.float }],
      },
      { name: unique(`${base}/ScaleMul`, taken), opType: "Mul", input: [aScale, weight.scale], output: [scale] },
      { name: unique(`${base}/Mul`, taken), opType: "Mul", input: [float, scale], output: [product] },
    );
  }
  if (c) nodes.push({ name: unique(`${base}/Add`, taken), opType: "Add", input: [product, c], output: [output] });
  return nodes;
}

function addQuantizedWeight(
  owned: Owned,
  transB: boolean,
  perChannel: boolean,
  taken: Set<string>,
  result: GraphQuantization,
): QuantizedWeight {
  const name = owned.tensor.name ?? "";
  const [d0 = 0, d1 = 0] = tensorDims(owned.tensor);
  let values = floatValues(owned.tensor);
  if (transB) values = transpose(values, d0, d1);
  const [rows, columns] = transB ? [d1, d0] : [d0, d1];
  const q = quantizeWeights(values, rows, columns, perChannel);
  const suffix = transB ? "_transposed" : "";
  const weight: QuantizedWeight = {
    values: unique(`${name}${suffix}_quantized`, taken),
    scale: unique(`${name}${suffix}_scale`, taken),
    zeroPoint: unique(`${name}${suffix}_zero_point`, taken),
    shape: [rows, columns],
  };
  const channelDims = perChannel ? [columns] : [];
  owned.graph.initializer = [
    ...(owned.graph.initializer ?? []),
    makeTensor(weight.values, DATA_TYPE.int8, [rows, columns], q.values),
    makeTensor(weight.scale, DATA_TYPE.float, channelDims, q.scales),
    makeTensor(weight.zeroPoint, DATA_TYPE.int8, channelDims, new Int8Array(q.scales.length)),
  ];
  result.weightBytes.before += values.byteLength;
  result.weightBytes.after += q.values.byteLength + q.scales.byteLength * 2;
  return weight;
}

/**
 * Drops the float32 weights that were quantized, and the Transpose nodes they were read through, once no node of any
 * graph reads them any more.
 */
function removeUnused(graph: GraphProto, done: ReadonlyMap<string, QuantizedWeight>): void {
  const quantized = new Set([...done.keys()].map((k) => k.replace(/\/T$/, "")));
  const unusedTranspose = (node: NodeProto, reads: ReadonlyMap<string, number>): boolean =>
    node.opType === "Transpose" && quantized.has(node.input?.[0] ?? "") && !reads.get(node.output?.[0] ?? "");
  const pruneNodes = (g: GraphProto, reads: ReadonlyMap<string, number>): void => {
    g.node = (g.node ?? []).filter((n) => !unusedTranspose(n, reads));
    for (const node of g.node) for (const a of node.attribute ?? []) if (a.g) pruneNodes(a.g, reads);
  };
  pruneNodes(graph, readCounts(graph));
  const reads = readCounts(graph);
  const prune = (g: GraphProto): void => {
    if (g.initializer) g.initializer = g.initializer.filter((t) => !quantized.has(t.name ?? "") || reads.has(t.name ?? ""));
    for (const node of g.node ?? []) for (const a of node.attribute ?? []) if (a.g) prune(a.g);
  };
  prune(graph);
}

/** How many times each value is read: as a node input, or as a graph output, in any graph. */
function readCounts(graph: GraphProto, counts = new Map<string, number>()): Map<string, number> {
  const add = (name: string): void => {
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  };
  for (const output of graph.output ?? []) add(output.name ?? "");
  for (const node of graph.node ?? []) {
    for (const input of node.input ?? []) add(input);
    for (const a of node.attribute ?? []) if (a.g) readCounts(a.g, counts);
  }
  return counts;
}

/** True for a Transpose that swaps the two axes of a matrix (no `perm`, or `perm = [1, 0]`). */
function isSwap(node: NodeProto): boolean {
  const perm = (node.attribute?.find((a) => a.name === "perm") as { ints?: Array<number | { toNumber(): number }> } | undefined)?.ints;
  if (!perm || perm.length === 0) return true;
  const p = perm.map((v) => (typeof v === "number" ? v : v.toNumber()));
  return p.length === 2 && p[0] === 1 && p[1] === 0;
}

function collectNames(graph: GraphProto, names: Set<string>): void {
  for (const t of graph.initializer ?? []) names.add(t.name ?? "");
  for (const v of [...(graph.input ?? []), ...(graph.output ?? [])]) names.add(v.name ?? "");
  for (const node of graph.node ?? []) {
    if (node.name) names.add(node.name);
    for (const o of node.output ?? []) names.add(o);
    for (const a of node.attribute ?? []) if (a.g) collectNames(a.g, names);
  }
}

function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 1; taken.has(candidate); i++) candidate = `${name}_${i}`;
  taken.add(candidate);
  return candidate;
}
