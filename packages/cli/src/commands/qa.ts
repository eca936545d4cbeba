import { DECODING_FLAGS, decodingOptions, MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import { inputText } from "../args/input.js";
import { booleanFlag, numberFlag, stringFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import { columns, score } from "../output/format.js";
import { type Command, loadPipeline, printJson } from "./command.js";

const { "top-k": _samplingTopK, ...GENERATIVE_FLAGS } = DECODING_FLAGS;

/** `proj qa`: answers to a question about a text, quoted from it (or written, with `--generative`). */
export const qaCommand: Command = {
  name: "qa",
  summary: "answer a question about a text: quote the answer (encoder) or write it (--generative)",
  usage: "proj qa --question <text> [context...] [flags]      (context from the arguments or stdin)",
  examples: [
    'proj qa --question "Where is the tower?" "The Eiffel tower is in Paris."',
    'proj qa -Q "Who signed it?" --top-k 3 < contract.txt',
    'proj qa --generative -Q "Is it waterproof?" "The watch resists water to 50 m."',
  ],
  flags: {
    question: { type: "string", short: "Q", value: "text", description: "the question (required)" },
    "top-k": { type: "string", value: "n", description: "answers to show, best first (default 1; extractive only)" },
    generative: { type: "boolean", description: "write the answer with a generative model instead of quoting a span" },
    ...MODEL_FLAGS,
    ...GENERATIVE_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const question = stringFlag(args, "question");
    if (question === undefined || question.trim() === "") throw new UsageError("--question is required", "qa");
    const topK = numberFlag(args, "top-k", "qa", { integer: true, min: 1 }) ?? 1;
    const context = await inputText(args.positionals, io, "qa", "context to answer from");
    if (booleanFlag(args, "generative")) {
      const ask = await loadPipeline("generative-qa", args, io, "qa");
      try {
        const result = await ask({ question, context }, decodingOptions(args, "qa"));
        if (booleanFlag(args, "json")) printJson(io, result);
        else io.stdout.write(`${result.answer}\n`);
        return 0;
      } finally {
        await ask.dispose();
      }
    }
    const qa = await loadPipeline("question-answering", args, io, "qa");
    try {
      const answers = topK === 1 ? [await qa({ question, context })] : await qa({ question, context }, { topK });
      if (booleanFlag(args, "json")) printJson(io, topK === 1 ? answers[0] : answers);
      else io.stdout.write(`${columns(answers.map((a) => [a.answer || "(no answer)", score(a.score), `${a.start}-${a.end}`]))}\n`);
      return 0;
    } finally {
      await qa.dispose();
    }
  },
};
