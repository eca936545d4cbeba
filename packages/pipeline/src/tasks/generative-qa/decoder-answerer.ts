import type { LoadOptions } from "@proj/core";
import { createGenerator } from "@proj/decoder";
import { checkQuestion, questionPrompt } from "./prompt.js";
import type { GeneratedAnswer, GenerativeAnswerer, GenerativeQACallOptions } from "./types.js";

/**
 * Answers with a decoder-only model: through its chat template when it has one (instruction-tuned models),
 * otherwise as a plain "Context / Question / Answer:" continuation that stops at the end of the line.
 *
 * @internal
 */
export async function decoderAnswerer(modelId: string, create: { load: LoadOptions; signal?: AbortSignal }): Promise<GenerativeAnswerer> {
  const generator = await createGenerator(modelId, create);
  const hasTemplate = generator.model.tokenizerConfig?.chatTemplate !== undefined;
  return {
    kind: "decoder",
    model: generator.model,
    async answer(input, options: GenerativeQACallOptions = {}): Promise<GeneratedAnswer> {
      const question = checkQuestion(input);
      const { instruction, ...decoding } = options;
      const result = hasTemplate
        ? await generator.chat([{ role: "user", content: questionPrompt(question, instruction, "chat") }], decoding)
        : await generator.generate(questionPrompt(question, instruction, "plain"), { stop: ["\n"], ...decoding });
      return { answer: result.text.trim(), tokenIds: result.tokenIds, finishReason: result.finishReason, metrics: result.metrics };
    },
    dispose: () => generator.dispose(),
  };
}
