import {
  CausalRunner,
  InputError,
  type LoadedModel,
  MetricsRecorder,
  resolveDecodingOptions,
  runEngine,
  throwIfAborted,
} from "@proj/core";
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
): Promise<GenerationResult[]> {
  if (model.family !== "decoder") {
    throw new InputError(`${model.source.label} is an ${model.family} model; generation here needs a decoder-only model (GPT-2, LLaMA, Qwen, Gemma)`, {
      hint: model.family === "encoder-decoder" ? "use translate() or summarize() from @proj/seq2seq" : "use @proj/encoder for classification, NER, QA and fill-mask",
    });
  }
  if (!Array.isArray(prompts) || prompts.length === 0) throw new InputError("Expected at least one prompt", { hint: "pass a string or a non-empty array of strings" });
  throwIfAborted(options.signal);
  const metrics = new MetricsRecorder();
  const addSpecial = options.addSpecialTokens ?? defaultSpecialTokens;
  const encoded = await Promise.all(prompts.map((p) => encodePrompt(model, p, addSpecial)));
  const longest = Math.max(...encoded.map((e) => e.length));
  const limits = { vocabSize: model.config.vocabSize ?? model.tokenizer.vocabSize, eosTokenIds: model.config.eosTokenIds };
  const resolved = resolveDecodingOptions(model.generationConfig, options, limits, longest);
  const ids = encoded.map((e) => fitToContext(model, e, resolved.maxNewTokens, options.truncatePrompt ?? "error"));
  metrics.tokenized();

  const runner = new CausalRunner(model.session(model.graphs[0] as string), model.config, {
    padTokenId: model.config.padTokenId ?? model.tokenizer.specialIds.pad ?? resolved.eosTokenIds[0] ?? 0,
  });
  const sequences = await runEngine(runner, {
    prompts: ids.map((inputIds) => ({ inputIds })),
    contexts: ids,
    options: resolved,
    tokenizer: model.tokenizer,
    metrics,
    ...(options.onToken ? { onToken: options.onToken } : {}),
  });
  const generated = sequences.reduce((n, seqs) => n + seqs.reduce((m, s) => m + s.tokenIds.length, 0), 0);
  const result = metrics.finish(ids.reduce((n, p) => n + p.length, 0), generated);
  return sequences.map((seqs) => {
    const best = seqs[0] ?? { text: "", tokenIds: [], finishReason: "abort" as const };
    return { text: best.text, tokenIds: best.tokenIds, finishReason: best.finishReason, sequences: seqs, metrics: result };
  });
}
