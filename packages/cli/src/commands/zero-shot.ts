import { MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import { inputText } from "../args/input.js";
import { booleanFlag, listFlag, stringFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import { columns, score } from "../output/format.js";
import { type Command, loadPipeline, printJson } from "./command.js";

/** `proj zero-shot`: classify text into labels given on the command line, with an NLI model. */
export const zeroShotCommand: Command = {
  name: "zero-shot",
  summary: "classify text into labels you name, with no training (encoder, NLI)",
  usage: "proj zero-shot [text...] --labels <a,b,c> [flags]      (text from the arguments or stdin)",
  examples: [
    'proj zero-shot "The striker scored twice in the final" --labels sports,politics,cooking',
    'proj zero-shot --labels urgent,billing,bug --multi-label --hypothesis-template "This ticket is about {}." < ticket.txt',
  ],
  flags: {
    labels: { type: "string", multiple: true, value: "a,b,c", description: "the candidate labels (comma-separated; required)" },
    "multi-label": { type: "boolean", description: "judge each label alone instead of making the labels compete" },
    "hypothesis-template": {
      type: "string",
      value: "text",
      description: 'the hypothesis each label is put into, {} marks the label (default "This example is {}.")',
    },
    ...MODEL_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const labels = listFlag(args, "labels");
    if (labels === undefined || labels.length === 0)
      throw new UsageError("--labels is required, e.g. --labels sports,politics", "zero-shot");
    const hypothesisTemplate = stringFlag(args, "hypothesis-template");
    if (hypothesisTemplate !== undefined && !hypothesisTemplate.includes("{}"))
      throw new UsageError(
        `--hypothesis-template must contain {} where the label goes, got ${JSON.stringify(hypothesisTemplate)}`,
        "zero-shot",
      );
    const text = await inputText(args.positionals, io, "zero-shot", "text to classify");
    const zeroShot = await loadPipeline("zero-shot-classification", args, io, "zero-shot");
    try {
      const result = await zeroShot(text, labels, {
        ...(booleanFlag(args, "multi-label") ? { multiLabel: true } : {}),
        ...(hypothesisTemplate !== undefined ? { hypothesisTemplate } : {}),
      });
      if (booleanFlag(args, "json")) printJson(io, result);
      else io.stdout.write(`${columns(result.labels.map((label, i) => [label, score(result.scores[i] ?? 0)]))}\n`);
      return 0;
    } finally {
      await zeroShot.dispose();
    }
  },
};
