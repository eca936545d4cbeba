import { InputError, type LoadModelOptions, loadModel, throwIfAborted } from "@proj/core";
import { MetricsRecorder, resolveDecodingOptions, runEngine, Seq2SeqRunner } from "@proj/core/internal";
import { checkQuestion, questionPrompt } from "./prompt.js";
import type { GeneratedAnswer, GenerativeAnswerer, GenerativeQACallOptions } from "./types.js";

/**
 * Answers with an instruction-tuned encoder-decoder (Flan-T5): the prompt is encoded once and the answer decoded
 * with the engine. (`@proj/seq2seq` serves translation and summarization; text-to-text generation in general
 * would belong there too, and this moves when it has it.)
 *
 * @internal
 */
export async function seq2seqAnswerer(modelId: string, load: LoadModelOptions): Promise<GenerativeAnswerer> {
  const model = await loadModel(modelId, { ...load, family: "encoder-decoder" });
  const runner = Seq2SeqRunner.fromModel(model);
  const window = model.config.maxPositionEmbeddings ?? model.tokenizer.modelMaxLength ?? 512;
  const start = model.generationConfig.decoderStartTokenId ?? model.config.decoderStartTokenId ?? model.config.padTokenId ?? 0;
  const limits = { vocabSize: model.config.vocabSize ?? model.tokenizer.vocabSize, eosTokenIds: model.config.eosTokenIds };
  return {
    kind: "encoder-decoder",
    model,
    async answer(input, options: GenerativeQACallOptions = {}): Promise<GeneratedAnswer> {
      const question = checkQuestion(input);
      const { instruction, onToken, ...decoding } = options;
      throwIfAborted(decoding.signal);
      const metrics = new MetricsRecorder();
      const ids = (await model.tokenizer.encode(questionPrompt(question, instruction, "plain"))).ids;
      if (ids.length > window) {
        throw new InputError(`The question and context are ${ids.length} tokens; ${model.source.label} reads at most ${window}`, {
          hint: "shorten the context to the passage that holds the answer, or use a long-context decoder model",
        });
      }
      metrics.tokenized();
      const resolved = resolveDecodingOptions(model.generationConfig, decoding, limits, 1);
      const [sequences] = await runEngine(runner, {
        prompts: [{ inputIds: ids, decoderInputIds: [start] }],
        contexts: [[start]],
        options: resolved,
        tokenizer: model.tokenizer,
        metrics,
        ...(onToken ? { onToken } : {}),
      });
      const best = sequences?.[0] ?? { text: "", tokenIds: [], finishReason: "abort" as const };
      return {
        answer: best.text.trim(),
        tokenIds: best.tokenIds,
        finishReason: best.finishReason,
        metrics: metrics.finish(ids.length, best.tokenIds.length),
      };
    },
    dispose: () => model.dispose(),
  };
}
