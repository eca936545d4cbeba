import type { Classification } from "@proj/encoder";
import { MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import { inputLines, inputText } from "../args/input.js";
import { booleanFlag, choiceFlag, numberFlag, stringFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import { columns, score } from "../output/format.js";
import { type Command, loadPipeline, printJson } from "./command.js";

/** `proj classify`: sentiment and other text classification. */
export const classifyCommand: Command = {
  name: "classify",
  summary: "classify text, e.g. its sentiment (encoder)",
  usage: "proj classify [text...] [flags]      (text from the arguments or stdin)",
  examples: [
    'proj classify "I love this movie"',
    "proj classify --top-k all < review.txt",
    "cat reviews.txt | proj classify --lines --json",
  ],
  flags: {
    "top-k": { type: "string", value: "n|all", description: "labels to show per text, best first (default 1)" },
    function: {
      type: "string",
      value: "softmax|sigmoid|none",
      description: "how logits become scores (default: as the model's config says)",
    },
    window: { type: "boolean", description: "classify long texts by overlapping windows instead of truncating" },
    lines: { type: "boolean", description: "one text per line of stdin (or per argument)" },
    ...MODEL_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const topKRaw = stringFlag(args, "top-k");
    const topK = topKRaw === "all" ? null : (numberFlag(args, "top-k", "classify", { integer: true, min: 1 }) ?? 1);
    const fn = choiceFlag(args, "function", "classify", ["softmax", "sigmoid", "none"] as const);
    const lines = booleanFlag(args, "lines");
    const texts = lines
      ? await inputLines(args.positionals, io, "classify", "text to classify")
      : [await inputText(args.positionals, io, "classify", "text to classify")];
    if (texts.length === 0) throw new UsageError("no text to classify", "classify");
    const classify = await loadPipeline("text-classification", args, io, "classify");
    try {
      const results = await classify(texts, {
        topK,
        ...(fn ? { functionToApply: fn } : {}),
        ...(booleanFlag(args, "window") ? { truncation: "window" as const } : {}),
      });
      if (booleanFlag(args, "json")) printJson(io, lines ? texts.map((text, i) => ({ text, labels: results[i] })) : results[0]);
      else io.stdout.write(`${texts.map((text, i) => render(results[i] ?? [], lines ? text : undefined)).join("\n")}\n`);
      return 0;
    } finally {
      await classify.dispose();
    }
  },
};

function render(labels: readonly Classification[], text: string | undefined): string {
  const table = columns(labels.map((c) => [c.label, score(c.score)]));
  return text === undefined ? table : `${text}\n${table.replace(/^/gm, "  ")}`;
}
