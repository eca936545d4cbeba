import { MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import { inputText } from "../args/input.js";
import { booleanFlag, listFlag, numberFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import { columns, score } from "../output/format.js";
import { type Command, loadPipeline, printJson } from "./command.js";

/** `proj fill-mask`: the likeliest tokens behind a mask. */
export const fillMaskCommand: Command = {
  name: "fill-mask",
  summary: "predict the word behind [MASK] (encoder)",
  usage: "proj fill-mask [text with [MASK] or <mask>...] [flags]",
  examples: ['proj fill-mask "Paris is the [MASK] of France."', 'proj fill-mask --targets doctor,nurse "She works as a [MASK]."'],
  flags: {
    "top-k": { type: "string", value: "n", description: "candidates to show (default 5)" },
    targets: { type: "string", multiple: true, value: "words", description: "score only these words (comma-separated)" },
    ...MODEL_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const topK = numberFlag(args, "top-k", "fill-mask", { integer: true, min: 1 });
    const targets = listFlag(args, "targets");
    const raw = await inputText(args.positionals, io, "fill-mask", "text with a mask");
    if (!/\[MASK\]|<mask>/.test(raw))
      throw new UsageError(
        'the text has no mask: write [MASK] (or <mask>) where the word goes, e.g. "Paris is the [MASK] of France."',
        "fill-mask",
      );
    const unmask = await loadPipeline("fill-mask", args, io, "fill-mask");
    try {
      // Either spelling works whatever the model's own mask token is: the library maps it, as for every caller.
      const predictions = await unmask(raw, { ...(topK !== undefined ? { topK } : {}), ...(targets ? { targets } : {}) });
      if (booleanFlag(args, "json")) printJson(io, predictions);
      else io.stdout.write(`${columns(predictions.map((p) => [p.tokenStr, score(p.score), p.sequence]))}\n`);
      return 0;
    } finally {
      await unmask.dispose();
    }
  },
};
