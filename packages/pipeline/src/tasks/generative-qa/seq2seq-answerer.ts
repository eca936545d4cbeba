import type { LoadOptions } from "@proj/core";
import { createText2Text } from "@proj/seq2seq";
import { checkQuestion, questionPrompt } from "./prompt.js";
import type { GeneratedAnswer, GenerativeAnswerer, GenerativeQACallOptions } from "./types.js";

/**
 * Answers with an instruction-tuned encoder-decoder (Flan-T5) through `@proj/seq2seq`'s text-to-text handle: the
 * "Context / Question / Answer:" prompt is the input text, the answer its output.
 *
 * @internal
 */
export async function seq2seqAnswerer(modelId: string, create: { load: LoadOptions; signal?: AbortSignal }): Promise<GenerativeAnswerer> {
  const handle = await createText2Text(modelId, { ...create, load: { ...create.load, family: "encoder-decoder" } });
  return {
    kind: "encoder-decoder",
    model: handle.model,
    async answer(input, options: GenerativeQACallOptions = {}): Promise<GeneratedAnswer> {
      const question = checkQuestion(input);
      const { instruction, ...decoding } = options;
      const result = await handle.generate(questionPrompt(question, instruction, "plain"), decoding);
      return { answer: result.text.trim(), tokenIds: result.tokenIds, finishReason: result.finishReason, metrics: result.metrics };
    },
    dispose: () => handle.dispose(),
  };
}
