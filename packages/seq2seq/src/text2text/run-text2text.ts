import { type GenerationResult, InputError } from "@proj/core";
import { generatedTokens, MetricsRecorder, toResults } from "@proj/core/internal";
import { checkTexts } from "../shared/check-input.js";
import { decodeInputs, type Seq2SeqEngine } from "../shared/engine.js";
import type { Seq2SeqCallOptions } from "../shared/options.js";

/**
 * Encodes texts (the tokenizer's special tokens added), refuses those longer than the encoder window, and decodes
 * them with core's generation path.
 *
 * @internal
 */
export async function text2textRows(
  engine: Seq2SeqEngine,
  window: number,
  input: unknown,
  options: Seq2SeqCallOptions,
): Promise<GenerationResult[]> {
  const texts = checkTexts(input, "text2text");
  const { model } = engine;
  const metrics = new MetricsRecorder();
  const inputs = (await model.tokenizer.encodeBatch(texts)).map((e) => e.ids);
  inputs.forEach((ids, i) => {
    if (ids.length > window) {
      throw new InputError(
        `${texts.length > 1 ? `texts[${i}]` : "The text"} is ${ids.length} tokens long; ${model.source.label} reads at most ${window}`,
        { hint: "shorten it to the part the model needs (for a question: the passage that holds the answer)" },
      );
    }
  });
  const sequences = await decodeInputs(engine, inputs, model.generationConfig, options, metrics);
  return toResults(
    sequences,
    metrics.finish(
      inputs.reduce((n, ids) => n + ids.length, 0),
      generatedTokens(sequences),
    ),
  );
}
