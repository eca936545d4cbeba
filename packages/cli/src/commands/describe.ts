import { resolve } from "node:path";
import { describeModel, type ModelDescription, type WeightDtype, WEIGHT_DTYPES } from "@proj/chooser";
import { OUTPUT_FLAGS } from "../args/common.js";
import { booleanFlag, choiceFlag, numberFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import { bytes, columns, count } from "../output/format.js";
import { type Command, printJson } from "./command.js";

/** `proj describe`: what a model is, from its config.json. */
export const describeCommand: Command = {
  name: "describe",
  summary: "describe a model folder: family, tasks, parameters, context, memory (no model is loaded)",
  usage: "proj describe <folder|config.json> [flags]",
  examples: ["proj describe ./models/distilbert-sst2", "proj describe ./models/qwen --batch-size 8 --sequence-length 4096 --dtype q4"],
  flags: {
    "batch-size": { type: "string", value: "n", description: "sequences run together, for the memory estimate (default 1)" },
    "sequence-length": { type: "string", value: "n", description: "input tokens per sequence (default 512, or the context when smaller)" },
    "output-length": { type: "string", value: "n", description: "generated tokens per sequence (default 128)" },
    "num-beams": { type: "string", value: "n", description: "beams per sequence (default 1)" },
    dtype: { type: "string", value: "dtype", description: `weight format: ${WEIGHT_DTYPES.join(", ")} (default fp32)` },
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const [target, ...rest] = args.positionals;
    if (!target) throw new UsageError("which model? pass a model folder or its config.json", "describe");
    if (rest.length > 0) throw new UsageError(`one model at a time (got ${args.positionals.join(", ")})`, "describe");
    const int = (flag: string) => numberFlag(args, flag, "describe", { integer: true, min: 1 });
    const options = {
      ...optional("batchSize", int("batch-size")),
      ...optional("sequenceLength", int("sequence-length")),
      ...optional("outputLength", int("output-length")),
      ...optional("numBeams", int("num-beams")),
      ...optional("dtype", choiceFlag<WeightDtype>(args, "dtype", "describe", WEIGHT_DTYPES)),
    };
    const d = await describeModel(resolve(io.cwd, target), options);
    if (booleanFlag(args, "json")) printJson(io, d);
    else io.stdout.write(render(target, d));
    return 0;
  },
};

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function render(target: string, d: ModelDescription): string {
  const m = d.memory;
  const stack = (name: string, s: ModelDescription["encoder"]) =>
    s ? [`${name}`, `${s.layers} layers, ${s.heads} heads (${s.kvHeads} KV), head size ${s.headDim}, feed-forward ${s.ffn}`] : undefined;
  const rows = [
    ["model", `${target} (${d.modelType}${d.architectures.length ? `, ${d.architectures.join(", ")}` : ""})`],
    ["family", d.family],
    ["tasks", d.tasks.join(", ") || "(none: a base model without a task head)"],
    ["parameters", `${count(d.parameters)} (embeddings ${count(d.parameterBreakdown.embeddings)})`],
    ["context", d.contextTokens !== undefined ? `${d.contextTokens} tokens` : "unknown"],
    ["hidden size", `${d.hiddenSize}, vocabulary ${d.vocabSize}`],
    stack("encoder", d.encoder),
    stack("decoder", d.decoder),
    d.labels.length ? ["labels", d.labels.join(", ")] : undefined,
  ].filter((r): r is string[] => r !== undefined);
  const memory = [
    `memory for batch ${m.batchSize} x ${m.sequenceLength} input tokens${m.outputLength ? ` + ${m.outputLength} generated` : ""}${m.numBeams > 1 ? ` x ${m.numBeams} beams` : ""}, ${m.dtype}:`,
    columns([
      ["  weights", bytes(m.weightsBytes)],
      [
        "  KV cache",
        `${bytes(m.kvCacheBytes)}${m.kvCacheBytesPerToken ? ` (${(m.kvCacheBytesPerToken / 1024).toFixed(1)} KiB per token)` : ""}`,
      ],
      ["  activations", bytes(m.activationsBytes)],
      ["  total", `${bytes(m.totalBytes)} (estimate; ONNX Runtime and Node.js add some more)`],
    ]),
  ];
  return `${columns(rows)}\n${memory.join("\n")}\n${d.notes.map((n) => `note: ${n}\n`).join("")}`;
}
