import { type GenerationResult, InputError, type LoadedModel, throwIfAborted } from "@proj/core";
import { describeValue, type GenerateRowsRequest, type GenerationEngine, generateRows, MetricsRecorder } from "@proj/core/internal";
import { encodePrompt, fitToContext } from "./prompt.js";
import type { GeneratorCallOptions } from "./types.js";

/**
 * Generates continuations of several prompts through core's one generation path (greedy and sampled rows join the
 * handle's running batch; beam search runs beside it).
 *
 * @example
 * const [a, b] = await generateBatch(model, ["Hello", "Once upon a time"], { maxNewTokens: 20 }, true, engine);
 */
export async function generateBatch(
  model: LoadedModel,
  prompts: readonly unknown[],
  options: GeneratorCallOptions,
  defaultSpecialTokens: boolean,
  engine: GenerationEngine,
  keepCache?: GenerateRowsRequest["keepCache"],
): Promise<GenerationResult[]> {
  if (model.family !== "decoder") {
    throw new InputError(
      `${model.source.label} is an ${model.family} model; generation here needs a decoder-only model (GPT-2, LLaMA, Qwen, Gemma)`,
      {
        hint:
          model.family === "encoder-decoder"
            ? "use translate(), summarize() or text2text() from @proj/seq2seq"
            : "use @proj/encoder for classification, NER, QA and fill-mask",
      },
    );
  }
  if (!Array.isArray(prompts) || prompts.length === 0)
    throw new InputError("Expected at least one prompt", { hint: "pass a string or a non-empty array of strings" });
  throwIfAborted(options.signal);
  const metrics = new MetricsRecorder();
  const { addSpecialTokens, truncatePrompt, cachePrompt, ...decoding } = options;
  if (cachePrompt !== undefined && typeof cachePrompt !== "boolean") {
    throw new InputError(`cachePrompt must be true or false, got ${describeValue(cachePrompt)}`, {
      hint: "leave it out to use the prefix cache",
    });
  }
  const addSpecial = addSpecialTokens ?? defaultSpecialTokens;
  const inputs = await Promise.all(prompts.map((p) => encodePrompt(model, p, addSpecial)));
  return generateRows({
    engine,
    tokenizer: model.tokenizer,
    generationConfig: model.generationConfig,
    limits: { vocabSize: model.config.vocabSize ?? model.tokenizer.vocabSize, eosTokenIds: model.config.eosTokenIds },
    inputs,
    options: decoding,
    fit: (ids, resolved) => fitToContext(model, [...ids], resolved.maxNewTokens, truncatePrompt ?? "error"),
    metrics,
    cachePrompt,
    keepCache,
  });
}
