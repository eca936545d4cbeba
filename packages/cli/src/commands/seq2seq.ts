import { defaultModelOf } from "@proj/chooser";
import { DECODING_FLAGS, decodingOptions, MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import { inputLines, inputText } from "../args/input.js";
import { booleanFlag, numberFlag, stringFlag } from "../args/values.js";
import { metricsLine } from "../output/format.js";
import { type Command, loadPipeline, printJson } from "./command.js";

/**
 * The line `proj translate` prints on stderr when it runs the embedded model: a caption translator, so its limit is
 * said where it is used, with the way to a general model.
 */
export const EMBEDDED_TRANSLATOR_NOTE =
  "note: the embedded en->de model translates image captions (short descriptions of scenes) and is poor on other text;" +
  " for general text pass a general model, e.g. --model Xenova/opus-mt-en-de";

/** `proj translate`: translation with an encoder-decoder model. */
export const translateCommand: Command = {
  name: "translate",
  summary: "translate text (encoder-decoder)",
  usage: "proj translate [text...] [--from <lang>] [--to <lang>] [flags]",
  examples: [
    'proj translate --to de "A dog runs through the grass."',
    "proj translate -m Xenova/m2m100_418M --from en --to ja --lines < sentences.txt",
  ],
  flags: {
    from: { type: "string", value: "lang", description: "source language (ISO code, English name, or the model's code)" },
    to: { type: "string", value: "lang", description: "target language" },
    lines: { type: "boolean", description: "one text per line of stdin (or per argument), translated in batches" },
    metrics: { type: "boolean", description: "print timings to stderr" },
    ...DECODING_FLAGS,
    ...MODEL_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const lines = booleanFlag(args, "lines");
    const texts = lines
      ? await inputLines(args.positionals, io, "translate", "text to translate")
      : [await inputText(args.positionals, io, "translate", "text to translate")];
    const from = stringFlag(args, "from");
    const to = stringFlag(args, "to");
    const decoding = decodingOptions(args, "translate");
    if (stringFlag(args, "model") === undefined && defaultModelOf("translation", { from, to }).embeddedModel !== undefined) {
      io.stderr.write(`${EMBEDDED_TRANSLATOR_NOTE}\n`);
    }
    const translate = await loadPipeline("translation", args, io, "translate", { ...(from ? { from } : {}), ...(to ? { to } : {}) });
    try {
      const results = await translate(texts, decoding);
      if (booleanFlag(args, "json")) printJson(io, lines ? results : results[0]);
      else io.stdout.write(`${results.map((r) => r.text).join("\n")}\n`);
      if (booleanFlag(args, "metrics") && results[0]) io.stderr.write(`${metricsLine(results[0].metrics)}\n`);
      return 0;
    } finally {
      await translate.dispose();
    }
  },
};

/** `proj summarize`: summaries with an encoder-decoder model, long documents by chunks. */
export const summarizeCommand: Command = {
  name: "summarize",
  summary: "summarize a document; long ones are summarised by chunks (encoder-decoder)",
  usage: "proj summarize [text...] [flags]      (text from the arguments or stdin)",
  examples: ["proj summarize < article.txt", "proj summarize --max-new-tokens 80 --num-beams 4 --json < report.txt"],
  flags: {
    "max-input-tokens": { type: "string", value: "n", description: "longest chunk given to the encoder (default: the model's window)" },
    "no-chunking": { type: "boolean", description: "fail instead of summarising a long text by chunks" },
    metrics: { type: "boolean", description: "print timings to stderr" },
    ...DECODING_FLAGS,
    ...MODEL_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const text = await inputText(args.positionals, io, "summarize", "text to summarize");
    const decoding = decodingOptions(args, "summarize");
    const maxInputTokens = numberFlag(args, "max-input-tokens", "summarize", { integer: true, min: 8 });
    const summarize = await loadPipeline("summarization", args, io, "summarize");
    try {
      const result = await summarize(text, {
        ...decoding,
        ...(maxInputTokens !== undefined ? { maxInputTokens } : {}),
        ...(booleanFlag(args, "no-chunking") ? { chunking: false } : {}),
        ...(booleanFlag(args, "quiet")
          ? {}
          : { onChunk: (c) => io.stderr.isTTY && io.stderr.write(`\r\x1b[2Ksummarised chunk ${c.index + 1}/${c.count}`) }),
      });
      if (io.stderr.isTTY && result.chunks > 1) io.stderr.write("\r\x1b[2K");
      if (booleanFlag(args, "json")) printJson(io, result);
      else io.stdout.write(`${result.text}\n`);
      if (booleanFlag(args, "metrics"))
        io.stderr.write(`${metricsLine(result.metrics)}${result.chunks > 1 ? ` · ${result.chunks} chunks` : ""}\n`);
      return 0;
    } finally {
      await summarize.dispose();
    }
  },
};
