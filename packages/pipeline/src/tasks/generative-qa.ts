import { detectFamily, InputError, type LoadOptions, openModelSource, readModelConfig } from "@proj/core";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";
import { decoderAnswerer } from "./generative-qa/decoder-answerer.js";
import { seq2seqAnswerer } from "./generative-qa/seq2seq-answerer.js";
import type { GeneratedAnswer, GenerativeAnswerer, GenerativeQACallOptions, GenerativeQuestion } from "./generative-qa/types.js";

/**
 * A generative question-answering pipeline: the answer is written by a decoder (an instruction-tuned chat model by
 * default) or an encoder-decoder (Flan-T5), not quoted from the context as extractive QA does.
 *
 * @example
 * const ask = await pipeline("generative-qa");
 * const { answer } = await ask({ question: "Is it waterproof?", context: "The watch resists water to 50 m." });
 */
export interface GenerativeQAPipeline extends PipelineBase<"generative-qa", GenerativeAnswerer> {
  /** Answers one question, from its context when given. */
  (input: GenerativeQuestion, options?: GenerativeQACallOptions): Promise<GeneratedAnswer>;
}

/**
 * Builds a {@link GenerativeQAPipeline}: reads the model's config first to pick the decoder or encoder-decoder path.
 *
 * @internal
 */
export async function generativeQAPipeline(context: FactoryContext): Promise<GenerativeQAPipeline> {
  const family = await familyOf(context.modelId, context.load, context.signal);
  if (family === "encoder") {
    throw new InputError(`${context.modelId} is an encoder model: it extracts answers, it does not write them`, {
      hint: 'use pipeline("question-answering") for extractive QA, or pass a decoder (e.g. "onnx-community/Qwen2.5-0.5B-Instruct") or Flan-T5 model',
    });
  }
  const handle =
    family === "decoder" ? await decoderAnswerer(context.modelId, context.create) : await seq2seqAnswerer(context.modelId, context.create);
  const call = (input: GenerativeQuestion, options?: GenerativeQACallOptions) => handle.answer(input, options);
  return callable<GenerativeQAPipeline>(call, baseOf(context, handle));
}

async function familyOf(modelId: string, load: LoadOptions, signal: AbortSignal | undefined) {
  const source = openModelSource(modelId, { ...load.hub, ...(signal ? { signal } : {}) });
  const config = await readModelConfig(await source.resolveFile("config.json", signal ? { signal } : {}));
  return load.family ?? detectFamily(config, []);
}
