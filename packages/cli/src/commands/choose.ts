import {
  type ArchitectureChoice,
  type ArchitectureConstraints,
  ChooserError,
  chooseArchitecture,
  type LatencyClass,
  type WeightDtype,
  WEIGHT_DTYPES,
} from "@proj/chooser";
import { OUTPUT_FLAGS } from "../args/common.js";
import { booleanFlag, choiceFlag, listFlag, numberFlag, stringFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import { bytes, columns, count } from "../output/format.js";
import { type Command, printJson } from "./command.js";

/** `proj choose`: which architecture and model for a task, under constraints. */
export const chooseCommand: Command = {
  name: "choose",
  summary: "which architecture and model for a task, under constraints (no model is loaded)",
  usage:
    "proj choose <task> [flags]      (task: text-classification, ner, question-answering, fill-mask, text-generation, chat, translation_en_to_de, summarization ...)",
  examples: [
    "proj choose sentiment-analysis --languages de",
    "proj choose summarization --max-input-tokens 6000 --memory-mb 1500",
    "proj choose chat --latency realtime --json",
  ],
  flags: {
    languages: { type: "string", multiple: true, value: "codes", description: "languages of the inputs (comma-separated ISO codes)" },
    from: { type: "string", value: "lang", description: "translation source language" },
    to: { type: "string", value: "lang", description: "translation target language" },
    "max-input-tokens": { type: "string", value: "n", description: "longest input, in tokens" },
    "max-output-tokens": { type: "string", value: "n", description: "tokens to generate per input (default 128)" },
    "memory-mb": { type: "string", value: "mb", description: "memory budget for the model, in MB" },
    latency: { type: "string", value: "class", description: "realtime, interactive or batch" },
    "batch-size": { type: "string", value: "n", description: "inputs run together (default 1)" },
    dtype: { type: "string", value: "dtype", description: `weight format to assume: ${WEIGHT_DTYPES.join(", ")} (default fp32)` },
    commercial: { type: "boolean", description: "only licenses that allow commercial use" },
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const [task, ...rest] = args.positionals;
    if (!task) throw new UsageError("which task? e.g. proj choose summarization", "choose");
    if (rest.length > 0) throw new UsageError(`one task at a time (got ${args.positionals.join(", ")})`, "choose");
    const c: ArchitectureConstraints = {};
    const languages = listFlag(args, "languages");
    if (languages) c.languages = languages;
    const from = stringFlag(args, "from");
    if (from) c.from = from;
    const to = stringFlag(args, "to");
    if (to) c.to = to;
    const set = <K extends "maxInputTokens" | "maxOutputTokens" | "batchSize" | "memoryBudgetMb">(
      key: K,
      flag: string,
      integer: boolean,
    ): void => {
      const value = numberFlag(args, flag, "choose", { integer, min: 1 });
      if (value !== undefined) c[key] = value;
    };
    set("maxInputTokens", "max-input-tokens", true);
    set("maxOutputTokens", "max-output-tokens", true);
    set("batchSize", "batch-size", true);
    set("memoryBudgetMb", "memory-mb", false);
    const latency = choiceFlag<LatencyClass>(args, "latency", "choose", ["realtime", "interactive", "batch"]);
    if (latency) c.latency = latency;
    const dtype = choiceFlag<WeightDtype>(args, "dtype", "choose", WEIGHT_DTYPES);
    if (dtype) c.dtype = dtype;
    if (booleanFlag(args, "commercial")) c.commercialUse = true;
    let choice: ArchitectureChoice;
    try {
      choice = chooseArchitecture(task, c);
    } catch (error) {
      // A task name or constraint the chooser refuses is a wrong command line.
      if (error instanceof ChooserError && (error.code === "UNKNOWN_TASK" || error.code === "INVALID_CONSTRAINT")) {
        throw new UsageError(`${error.message}${error.hint ? ` (${error.hint})` : ""}`, "choose");
      }
      throw error;
    }
    if (booleanFlag(args, "json"))
      printJson(io, {
        ...choice,
        row: undefined,
        models: choice.models.map(({ model: { config: _config, ...model }, ...rest }) => ({ ...rest, model })),
      });
    else io.stdout.write(render(choice));
    return 0;
  },
};

function render(choice: ArchitectureChoice): string {
  const { row } = choice;
  const lines = [
    `${row.title} (${choice.task}) -> ${[choice.family, ...choice.alternativeFamilies].join(" or ")}: ${row.architectures.join(", ")}`,
    "",
    row.why,
    "",
    `Served by ${choice.servedBy.function}() in ${choice.servedBy.package} (${choice.servedBy.handle}() for a reusable handle); command: ${choice.servedBy.cli}`,
    "",
    columns([
      ["", "model", "params", "memory", "dtype", "languages", "context", "license"],
      ...choice.models.map((m) => [
        m.fits ? "ok" : "--",
        m.model.id,
        `${m.model.approximate ? "~" : ""}${count(m.model.parameters)}`,
        bytes(m.memory.totalBytes),
        m.dtype,
        m.model.languageCount ? `${m.model.languageCount} languages` : m.model.languages.join(","),
        String(m.model.contextTokens),
        m.model.license,
      ]),
    ]),
    "",
  ];
  for (const m of choice.models) {
    const notes = [...m.reasons, ...m.problems.map((p) => `NOT: ${p}`)];
    if (notes.length) lines.push(`${m.model.id}:`, ...notes.map((n) => `  - ${n}`));
  }
  lines.push("", choice.best ? `Recommended: ${choice.best.model.id} (${choice.best.dtype})` : "No model meets every constraint.");
  if (choice.longInput)
    lines.push("", `Long inputs (${choice.longInput.strategy}, ${choice.longInput.pieces} pieces): ${choice.longInput.explanation}`);
  return `${lines.join("\n")}\n`;
}
