import { type Entity, NER_AGGREGATIONS, NER_DECODINGS } from "@proj/encoder";
import { MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import { inputLines, inputText } from "../args/input.js";
import { booleanFlag, choiceFlag } from "../args/values.js";
import { columns, score } from "../output/format.js";
import { type Command, loadPipeline, printJson } from "./command.js";

/** `proj ner`: named entities with their character offsets. */
export const nerCommand: Command = {
  name: "ner",
  summary: "find named entities (people, places, organisations) in text (encoder)",
  usage: "proj ner [text...] [flags]",
  examples: [
    'proj ner "Ada Lovelace was born in London."',
    "proj ner --aggregation first --json < article.txt",
    'proj ner --aggregation first --decoding constrained "President Barack Obama visited New York."',
  ],
  flags: {
    aggregation: {
      type: "string",
      value: "strategy",
      description: `how tokens become entities: ${NER_AGGREGATIONS.join(", ")} (default simple)`,
    },
    decoding: {
      type: "string",
      value: "mode",
      description: "argmax (each token's best label, as transformers.js) or constrained (the best legal BIO/BIOES sequence)",
    },
    lines: { type: "boolean", description: "one text per line of stdin (or per argument)" },
    ...MODEL_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const aggregation = choiceFlag(args, "aggregation", "ner", NER_AGGREGATIONS) ?? "simple";
    const decoding = choiceFlag(args, "decoding", "ner", NER_DECODINGS);
    const lines = booleanFlag(args, "lines");
    const texts = lines ? await inputLines(args.positionals, io, "ner", "text") : [await inputText(args.positionals, io, "ner", "text")];
    const ner = await loadPipeline("token-classification", args, io, "ner");
    try {
      const results = await ner(texts, { aggregation, ...(decoding ? { decoding } : {}) });
      if (booleanFlag(args, "json")) printJson(io, lines ? texts.map((text, i) => ({ text, entities: results[i] })) : results[0]);
      else io.stdout.write(`${texts.map((text, i) => render(text, results[i] ?? [], lines)).join("\n")}\n`);
      return 0;
    } finally {
      await ner.dispose();
    }
  },
};

/**
 * The entities as a table: label, the entity's `word` exactly as `--json` gives it (a sub-word token such as `##er`
 * with `--aggregation none`, the model's casing), its character offsets into the text, and its score.
 */
function render(text: string, entities: readonly Entity[], showText: boolean): string {
  const body =
    entities.length === 0 ? "(no entities)" : columns(entities.map((e) => [e.entity, e.word, `${e.start}-${e.end}`, score(e.score)]));
  return showText ? `${text}\n${body.replace(/^/gm, "  ")}` : body;
}
