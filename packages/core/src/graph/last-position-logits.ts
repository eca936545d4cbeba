import type { GraphProto, ModelProto, NodeProto, ValueInfoProto } from "./onnx-proto.js";
import { toNumber } from "./onnx-proto.js";

/** The outcome of {@link keepLastPositionLogits}: where the graph was changed, or why it was left alone. */
export type LogitsRewrite = { changed: true; where: string[] } | { changed: false; reason: string };

/** Ops that only reshape or decode constant weights: a MatMul operand made by them from initializers is a weight. */
const WEIGHT_OPS = new Set(["Constant", "Identity", "Transpose", "DequantizeLinear", "Cast", "Reshape", "Unsqueeze", "Squeeze"]);

const INT = 2;
const TENSOR = 4;
const INT64 = 7;

/**
 * Rewrites a decoder graph in place so that its `logits` output holds only the last position, `[batch, 1, vocab]`
 * instead of `[batch, sequence, vocab]`: a `Gather(axis=1, indices=[-1])` is put on the hidden states in front of
 * the LM head (the final MatMul against a weight: an initializer, a transposed tied embedding or dequantized int8
 * weights, with an optional bias Add after it). Merged decoders (`If` on `use_cache_branch`) are rewritten in both
 * branches. Prefill then computes the LM head once per row instead of once per prompt position. Rows must be
 * left-padded (or of one length) so that the last position is each row's last token, as the runners feed them.
 *
 * @example
 * const result = keepLastPositionLogits(decodeModel(bytes));
 * if (!result.changed) console.log(result.reason);
 */
export function keepLastPositionLogits(model: ModelProto): LogitsRewrite {
  const graph = model.graph;
  if (!graph) return { changed: false, reason: "the file has no graph" };
  const opset = toNumber(model.opsetImport?.find((o) => !o.domain || o.domain === "ai.onnx")?.version) ?? 0;
  if (opset < 11) return { changed: false, reason: `its opset ${opset} is older than 11 (Gather with a negative index)` };
  const output = graph.output?.find((o) => o.name === "logits");
  if (!output) return { changed: false, reason: 'it has no output "logits"' };
  if (!isRank3(output)) return { changed: false, reason: '"logits" is not declared as [batch, sequence, vocab]' };
  const producer = graph.node?.find((n) => n.output?.includes("logits"));
  if (!producer) return { changed: false, reason: '"logits" is not computed by a node' };
  const weights = staticNames(graph, new Set());
  let result: LogitsRewrite;
  if (producer.opType === "If") {
    const at = producer.output?.indexOf("logits") ?? -1;
    const where: string[] = [];
    const branches = (producer.attribute ?? []).filter((a) => a.g);
    for (const branch of branches) {
      const sub = branch.g as GraphProto;
      const name = sub.output?.[at]?.name;
      if (!name) return { changed: false, reason: `the ${branch.name} of ${producer.name ?? "If"} has no output for "logits"` };
      const found = planHead(sub, name, staticNames(sub, weights));
      if (typeof found === "string") return { changed: false, reason: `in the ${branch.name} of ${producer.name ?? "If"}: ${found}` };
      applyHead(sub, found, name);
      where.push(`${branch.name}/${found.head.name ?? "MatMul"}`);
    }
    result = branches.length ? { changed: true, where } : { changed: false, reason: `${producer.name ?? "If"} has no branches` };
  } else {
    const found = planHead(graph, "logits", weights);
    if (typeof found === "string") return { changed: false, reason: found };
    applyHead(graph, found, "logits");
    result = { changed: true, where: [found.head.name ?? "MatMul"] };
  }
  if (result.changed) lastPositionShape(output);
  return result;
}

/** The LM head found in one graph: the MatMul, and the tensor whose shape changes from it on. */
interface Head {
  head: NodeProto;
  /** Outputs between the head and `logits` (the MatMul's, and the bias Add's when there is one). */
  changed: string[];
}

function planHead(graph: GraphProto, logits: string, weights: ReadonlySet<string>): Head | string {
  const byOutput = new Map<string, NodeProto>();
  for (const node of graph.node ?? []) for (const name of node.output ?? []) byOutput.set(name, node);
  let node = byOutput.get(logits);
  const changed = [logits];
  if (node?.opType === "Add") {
    const [a = "", b = ""] = node.input ?? [];
    const inner = weights.has(a) ? b : weights.has(b) ? a : undefined;
    if (inner === undefined) return `"${logits}" is an Add of two computed values, not a bias after the LM head`;
    changed.push(inner);
    node = byOutput.get(inner);
  }
  if (!node) return `"${logits}" is not computed by a node of this graph`;
  if (node.opType !== "MatMul" || (node.domain ?? "") !== "") {
    return `"${logits}" is computed by ${node.opType ?? "an unnamed op"}, not by a MatMul (the LM head pattern this rewrite knows)`;
  }
  const [hidden = "", weight = ""] = node.input ?? [];
  if (!weights.has(weight)) return `the MatMul "${node.name ?? ""}" that computes "${logits}" does not multiply by a constant weight`;
  if (weights.has(hidden)) return `the MatMul "${node.name ?? ""}" that computes "${logits}" has constant hidden states`;
  return { head: node, changed };
}

function applyHead(graph: GraphProto, found: Head, output: string): void {
  const nodes = graph.node ?? [];
  const hidden = found.head.input?.[0] ?? "";
  const taken = new Set(nodes.flatMap((n) => n.output ?? []));
  const base = uniqueName(`${hidden}/last_position`, taken);
  const index = `${base}/index`;
  const constant: NodeProto = {
    name: index,
    opType: "Constant",
    input: [],
    output: [index],
    attribute: [{ name: "value", type: TENSOR, t: { dims: [1], dataType: INT64, rawData: new Uint8Array(8).fill(0xff) } }],
  };
  const gather: NodeProto = {
    name: base,
    opType: "Gather",
    input: [hidden, index],
    output: [base],
    attribute: [{ name: "axis", type: INT, i: 1 }],
  };
  nodes.splice(nodes.indexOf(found.head), 0, constant, gather);
  (found.head.input as string[])[0] = base;
  // Declared shapes of the values that now have one position are stale: drop them (ONNX Runtime infers them again).
  if (graph.valueInfo) graph.valueInfo = graph.valueInfo.filter((v) => !found.changed.includes(v.name ?? ""));
  const declared = graph.output?.find((o) => o.name === output);
  if (declared && isRank3(declared)) lastPositionShape(declared);
}

/** Names that hold constants in `graph`: its initializers, the outer graph's constants, and what weight ops make of them. */
function staticNames(graph: GraphProto, outer: ReadonlySet<string>): Set<string> {
  const names = new Set(outer);
  for (const tensor of graph.initializer ?? []) names.add(tensor.name ?? "");
  // An initializer that is also a graph input is only a default: the caller may feed it.
  for (const input of graph.input ?? []) names.delete(input.name ?? "");
  for (const node of graph.node ?? []) {
    if (!WEIGHT_OPS.has(node.opType ?? "") || (node.domain ?? "") !== "") continue;
    const inputs = (node.input ?? []).filter((n) => n !== "");
    if (inputs.every((n) => names.has(n))) for (const name of node.output ?? []) names.add(name);
  }
  return names;
}

function isRank3(value: ValueInfoProto): boolean {
  const dims = value.type?.tensorType?.shape?.dim;
  return dims?.length === 3;
}

function lastPositionShape(value: ValueInfoProto): void {
  const dims = value.type?.tensorType?.shape?.dim;
  if (dims && dims.length === 3) dims[1] = { dimValue: 1 };
}

function uniqueName(name: string, taken: ReadonlySet<string>): string {
  let candidate = name;
  for (let i = 1; taken.has(candidate); i++) candidate = `${name}_${i}`;
  return candidate;
}
