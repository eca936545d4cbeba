import { type GeneratedSequence, InputError, type LoadedModel, throwIfAborted } from "@proj/core";
import { type ContinuousBatcher, type DecoderRunner, MetricsRecorder, resolveDecodingOptions, runEngine } from "@proj/core/internal";
import type { GenerateOptions, GenerationResult } from "./options.js";
import { encodePrompt, fitToContext } from "./prompt.js";

/**
 * Generates continuations of several prompts in one batch (left-padded; each finishes on its own).
 *
 * @example
 * const [a, b] = await generateBatch(model, ["Hello", "Once upon a time"], { maxNewTokens: 20 }, true);
 */
export async function generateBatch(
  model: LoadedModel,
  prompts: readonly unknown[],
  options: GenerateOptions,
  defaultSpecialTokens: boolean,
  engine: { runner: DecoderRunner; batcher: ContinuousBatcher },
): Promise<GenerationResult[]> {
  if (model.family !== "decoder") {
    throw new InputError(
      `${model.source.label} is an ${model.family} model; generation here needs a decoder-only model (GPT-2, LLaMA, Qwen, Gemma)`,
      {
        hint:
          model.family === "encoder-decoder"
            ? "use translate() or summarize() from @proj/seq2seq"
            : "use @proj/encoder for classification, NER, QA and fill-mask",
      },
    );
  }
  if (!Array.isArray(prompts) || prompts.length === 0)
    throw new InputError("Expected at least one prompt", { hint: "pass a string or a non-empty array of strings" });
  throwIfAborted(options.signal);
  const metrics = new MetricsRecorder();
  const addSpecial = options.addSpecialTokens ?? defaultSpecialTokens;
  const encoded = await Promise.all(prompts.map((p) => encodePrompt(model, p, addSpecial)));
  const longest = Math.max(...encoded.map((e) => e.length));
  const limits = { vocabSize: model.config.vocabSize ?? model.tokenizer.vocabSize, eosTokenIds: model.config.eosTokenIds };
  const resolved = resolveDecodingOptions(model.generationConfig, options, limits, longest);
  const ids = encoded.map((e) => fitToContext(model, e, resolved.maxNewTokens, options.truncatePrompt ?? "error"));
  metrics.tokenized();

  const { onToken } = options;
  let sequences: GeneratedSequence[][];
  if (resolved.numBeams > 1) {
    const request = {
      prompts: ids.map((inputIds) => ({ inputIds })),
      contexts: ids,
      options: resolved,
      tokenizer: model.tokenizer,
      metrics,
    };
    sequences = await runEngine(engine.runner, onToken ? { ...request, onToken } : request);
  } else {
    // Greedy and sampling join the handle's running batch: concurrent calls decode together.
    sequences = await Promise.all(
      ids.map((inputIds, input) =>
        engine.batcher.submit({
          prompt: { inputIds },
          context: inputIds,
          options: resolved,
          tokenizer: model.tokenizer,
          metrics,
          ...(onToken ? { onToken: (event) => onToken({ ...event, input }) } : {}),
        }),
      ),
    );
  }
  const generated = sequences.reduce((n, seqs) => n + seqs.reduce((m, s) => m + s.tokenIds.length, 0), 0);
  const result = metrics.finish(
    ids.reduce((n, p) => n + p.length, 0),
    generated,
  );
  return sequences.map((seqs) => {
    const best = seqs[0] ?? { text: "", tokenIds: [], finishReason: "abort" as const };
    return { text: best.text, tokenIds: best.tokenIds, finishReason: best.finishReason, sequences: seqs, metrics: result };
  });
}
