import { fixture, type FixtureName } from "@proj/testing";
import { type DecodingOptions, type GeneratedSequence, type LoadedModel, loadModel, type TokenEvent } from "../../src/index.js";
import { type BatchRequest, CausalRunner, MetricsRecorder, resolveDecodingOptions, runEngine } from "../../src/internal.js";

/** Loads a decoder fixture once per test file. */
export async function decoderFixture(name: FixtureName): Promise<LoadedModel> {
  return loadModel(fixture(name), { threads: 1 });
}

/** Runs the engine on token-id prompts with a decoder-only fixture. */
export async function generateIds(
  model: LoadedModel,
  prompts: number[][],
  options: DecodingOptions,
  extra: { useCache?: boolean; onToken?: (e: TokenEvent) => void } = {},
): Promise<GeneratedSequence[][]> {
  const runner = new CausalRunner(model.session("model"), model.config, {
    useCache: extra.useCache ?? true,
    padTokenId: model.config.padTokenId ?? model.tokenizer.specialIds.pad ?? 0,
  });
  const resolved = resolveDecodingOptions(
    model.generationConfig,
    options,
    { vocabSize: model.config.vocabSize ?? model.tokenizer.vocabSize, eosTokenIds: model.config.eosTokenIds },
    Math.max(...prompts.map((p) => p.length)),
  );
  return runEngine(runner, {
    prompts: prompts.map((inputIds) => ({ inputIds })),
    contexts: prompts,
    options: resolved,
    tokenizer: model.tokenizer,
    metrics: new MetricsRecorder(),
    ...(extra.onToken ? { onToken: extra.onToken } : {}),
  });
}

/** The first sequence of the first input (fails the test when missing). */
export function firstSequence(result: GeneratedSequence[][]): GeneratedSequence {
  const sequence = result[0]?.[0];
  if (!sequence) throw new Error("the engine returned no sequence");
  return sequence;
}

/** A continuous-batcher request for a prompt (text, tokenized with special tokens, or ids) with its options resolved. */
export async function batchRequest(
  model: LoadedModel,
  prompt: string | readonly number[],
  options: DecodingOptions,
  extra: Partial<BatchRequest> = {},
): Promise<BatchRequest> {
  const ids = typeof prompt === "string" ? (await model.tokenizer.encode(prompt)).ids : [...prompt];
  const limits = { vocabSize: model.config.vocabSize ?? model.tokenizer.vocabSize, eosTokenIds: model.config.eosTokenIds };
  return {
    prompt: { inputIds: ids },
    context: ids,
    options: resolveDecodingOptions(model.generationConfig, options, limits, ids.length),
    tokenizer: model.tokenizer,
    ...extra,
  };
}
