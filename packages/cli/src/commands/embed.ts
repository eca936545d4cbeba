import { MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import type { Flag } from "../args/flags.js";
import { inputLines } from "../args/input.js";
import { booleanFlag, choiceFlag, numberFlag, stringFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import { type Command, loadPipeline } from "./command.js";

/** `proj embed`: one embedding per text, as JSON lines. */
export const embedCommand: Command = {
  name: "embed",
  summary: "embed texts as vectors for search and clustering, one JSON line per text (encoder)",
  usage: "proj embed [text...] [flags]      (one text per argument, or per line of stdin)",
  examples: [
    'proj embed "A man is playing a guitar." "A dog runs."',
    "proj embed --prompt-name passage --dimensions 256 < passages.txt > vectors.jsonl",
    "proj embed -m Xenova/bge-small-en-v1.5 --pooling cls --precision ubinary < docs.txt",
  ],
  flags: {
    pooling: {
      type: "string",
      value: "mean|cls|last|max",
      description: "how token vectors become one (default: as the model's 1_Pooling/config.json says)",
    },
    normalize: { type: "boolean", description: "scale each vector to unit length (default: as the model's modules.json says)" },
    "no-normalize": { type: "boolean", description: "do not scale vectors to unit length" },
    dimensions: { type: "string", value: "n", description: "keep the first n values (Matryoshka truncation)" },
    precision: {
      type: "string",
      value: "float32|int8|uint8|binary|ubinary",
      description: "number format of the vectors (default float32)",
    },
    prompt: { type: "string", value: "text", description: 'text put before every input, e.g. "query: "' },
    "prompt-name": { type: "string", value: "name", description: "a prompt of the model's sentence-transformers config, e.g. query" },
    truncation: {
      type: "string",
      value: "error|truncate|window",
      description: "texts longer than the model: refuse, cut, or average overlapping windows (default error)",
    },
    "max-length": { type: "string", value: "n", description: "tokens per text or window (default: the model's window)" },
    ...MODEL_FLAGS,
    // No --json: the output is always JSON lines (vectors are for programs, not for reading).
    quiet: OUTPUT_FLAGS.quiet as Flag,
    help: OUTPUT_FLAGS.help as Flag,
  },
  async run(args, io) {
    const pooling = choiceFlag(args, "pooling", "embed", ["mean", "cls", "last", "max"] as const);
    if (booleanFlag(args, "normalize") && booleanFlag(args, "no-normalize"))
      throw new UsageError("--normalize and --no-normalize contradict each other; give one", "embed");
    const normalize = booleanFlag(args, "normalize") ? true : booleanFlag(args, "no-normalize") ? false : undefined;
    const dimensions = numberFlag(args, "dimensions", "embed", { integer: true, min: 1 });
    const precision = choiceFlag(args, "precision", "embed", ["float32", "int8", "uint8", "binary", "ubinary"] as const);
    const prompt = stringFlag(args, "prompt");
    const promptName = stringFlag(args, "prompt-name");
    if (prompt !== undefined && promptName !== undefined)
      throw new UsageError("--prompt and --prompt-name contradict each other; give one", "embed");
    const truncation = choiceFlag(args, "truncation", "embed", ["error", "truncate", "window"] as const);
    const maxLength = numberFlag(args, "max-length", "embed", { integer: true, min: 2 });
    const texts = await inputLines(args.positionals, io, "embed", "text to embed");
    if (texts.length === 0) throw new UsageError("no text to embed", "embed");
    const extract = await loadPipeline("feature-extraction", args, io, "embed");
    try {
      const vectors = await extract(texts, {
        ...(pooling ? { pooling } : {}),
        ...(normalize !== undefined ? { normalize } : {}),
        ...(dimensions !== undefined ? { dimensions } : {}),
        ...(precision ? { precision } : {}),
        ...(prompt !== undefined ? { prompt } : {}),
        ...(promptName !== undefined ? { promptName } : {}),
        ...(truncation ? { truncation } : {}),
        ...(maxLength !== undefined ? { maxLength } : {}),
      });
      io.stdout.write(texts.map((text, i) => `${JSON.stringify({ text, embedding: Array.from(vectors[i] ?? []) })}\n`).join(""));
      return 0;
    } finally {
      await extract.dispose();
    }
  },
};
