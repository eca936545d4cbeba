import { createGenerator, type GenerationResult, type GeneratorCallOptions, type LocalGenerator, type TextStream } from "@proj/decoder";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * A text-generation pipeline: call it with a prompt for its continuation, or `stream()` it token by token.
 *
 * @example
 * const generate = await pipeline("text-generation", { model: "Xenova/distilgpt2" });
 * const { text, metrics } = await generate("Once upon a time", { maxNewTokens: 30, doSample: true, topP: 0.9, seed: 1 });
 * for await (const { text } of generate.stream("Once upon a time")) process.stdout.write(text);
 */
export interface TextGenerationPipeline extends PipelineBase<"text-generation", LocalGenerator> {
  /** Continues one prompt. */
  (prompt: string, options?: GeneratorCallOptions): Promise<GenerationResult>;
  /** Continues several prompts, decoded together. */
  (prompts: string[], options?: GeneratorCallOptions): Promise<GenerationResult[]>;
  /** Streams the continuation of one prompt as text deltas; `.result` has the final result with metrics. */
  stream(prompt: string, options?: GeneratorCallOptions): TextStream;
}

/**
 * Builds a {@link TextGenerationPipeline} with `@proj/decoder`'s `createGenerator`.
 *
 * @internal
 */
export async function textGenerationPipeline(context: FactoryContext): Promise<TextGenerationPipeline> {
  const handle = await createGenerator(context.modelId, context.create);
  const call = (input: string | string[], options?: GeneratorCallOptions) => handle.generate(input as string, options);
  return callable<TextGenerationPipeline>(call, baseOf(context, handle), {
    stream: (prompt: string, options?: GeneratorCallOptions) => handle.stream(prompt, options),
  });
}
