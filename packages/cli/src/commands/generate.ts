import { DECODING_FLAGS, decodingOptions, MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import { inputText } from "../args/input.js";
import { RESPONSE_FORMAT_FLAGS, responseFormatOption } from "../args/response-format.js";
import { booleanFlag } from "../args/values.js";
import { EXIT_CODES } from "../errors.js";
import { metricsLine } from "../output/format.js";
import { type Command, loadPipeline, printJson, withInterrupt } from "./command.js";

/** `proj generate`: continues a prompt, streaming tokens to the terminal. */
export const generateCommand: Command = {
  name: "generate",
  summary: "continue a prompt, streaming the text as it is generated (decoder)",
  usage: "proj generate [prompt...] [flags]      (prompt from the arguments or stdin)",
  examples: [
    'proj generate "Once upon a time" --max-new-tokens 60',
    'proj generate "The weather today" --sample --top-p 0.9 --temperature 0.8 --seed 7 --metrics',
    'echo "def fib(n):" | proj generate -m onnx-community/Qwen2.5-0.5B-Instruct --stop "\\n\\n" --json',
    'proj generate "A person as JSON:" --json-schema person.schema.json --max-new-tokens 80',
  ],
  flags: {
    ...DECODING_FLAGS,
    ...RESPONSE_FORMAT_FLAGS,
    "no-stream": { type: "boolean", description: "print the text once it is complete" },
    metrics: { type: "boolean", description: "print TTFT, TPOT and tokens/s to stderr" },
    ...MODEL_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const prompt = await inputText(args.positionals, io, "generate", "prompt");
    const decoding = { ...decodingOptions(args, "generate"), ...(await responseFormatOption(args, io, "generate")) };
    const generate = await loadPipeline("text-generation", args, io, "generate");
    try {
      const json = booleanFlag(args, "json");
      // Beam search changes its beams until the end, so it cannot stream.
      const streaming = !json && !booleanFlag(args, "no-stream") && (decoding.numBeams ?? 1) === 1;
      const { value: result, interrupted } = await withInterrupt(async (signal) => {
        if (!streaming) return generate(prompt, { ...decoding, signal });
        const stream = generate.stream(prompt, { ...decoding, signal });
        for await (const chunk of stream) io.stdout.write(chunk.text);
        return stream.result;
      });
      if (json) printJson(io, { prompt, ...result });
      else io.stdout.write(streaming ? "\n" : `${result.text}\n`);
      if (booleanFlag(args, "metrics")) io.stderr.write(`${metricsLine(result.metrics)}\n`);
      return interrupted ? EXIT_CODES.interrupted : 0;
    } finally {
      await generate.dispose();
    }
  },
};
