import { InputError, type LoadedModel } from "@proj/core";
import { MetricsRecorder, type Seq2SeqRunner } from "@proj/core/internal";
import { checkOptions, checkTexts } from "../shared/check-input.js";
import { generatedTokens, runBatches, toResults } from "../shared/run-batches.js";
import { taskSettings } from "../shared/task-config.js";
import { resolvePair } from "./resolve-pair.js";
import type { TranslationScheme } from "./scheme.js";
import { sourceIds } from "./source-ids.js";
import type { Translation, TranslateCallOptions } from "./types.js";

/** What a translator holds: the model, its runner, how it selects languages, its window. @internal */
export interface TranslationModel {
  model: LoadedModel;
  runner: Seq2SeqRunner;
  scheme: TranslationScheme;
  window: number;
}

/**
 * Translates texts in batches: resolves the language pair, builds the encoder inputs (prefix or language
 * tokens), refuses inputs longer than the encoder window, and decodes.
 *
 * @internal
 */
export async function translateTexts(t: TranslationModel, input: unknown, options: TranslateCallOptions): Promise<Translation[]> {
  checkOptions(options, "translate");
  const texts = checkTexts(input, "translate");
  const { model } = t;
  const label = model.source.label;
  const pair = resolvePair(t.scheme, label, (token) => model.tokenizer.tokenToId(token), options.from, options.to);
  const settings = taskSettings(model, pair.task);
  const metrics = new MetricsRecorder();
  const inputs = await sourceIds(model, texts, pair);
  inputs.forEach((ids, i) => {
    if (ids.length > t.window) {
      throw new InputError(
        `${texts.length > 1 ? `texts[${i}]` : "The text"} is ${ids.length} tokens long; ${label} reads at most ${t.window}`,
        {
          hint: "split it into sentences or paragraphs and pass them as an array: translate([...]) translates each in turn",
        },
      );
    }
  });
  metrics.tokenized();
  const forcedBos = options.forcedBosTokenId ?? pair.forcedBosTokenId;
  const sequences = await runBatches({
    model,
    runner: t.runner,
    inputs,
    generationConfig: settings.generationConfig,
    options: forcedBos === undefined ? options : { ...options, forcedBosTokenId: forcedBos },
    metrics,
  });
  const summary = metrics.finish(
    inputs.reduce((n, ids) => n + ids.length, 0),
    generatedTokens(sequences),
  );
  return toResults(sequences, summary).map((r) => ({ ...r, from: pair.from, to: pair.to }));
}
