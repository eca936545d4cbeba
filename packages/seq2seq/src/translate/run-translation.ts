import { InputError } from "@proj/core";
import { generatedTokens, MetricsRecorder, toResults } from "@proj/core/internal";
import { checkTexts } from "../shared/check-input.js";
import { decodeInputs, type Seq2SeqEngine } from "../shared/engine.js";
import { taskSettings } from "../shared/task-config.js";
import { resolvePair } from "./resolve-pair.js";
import type { TranslationScheme } from "./scheme.js";
import { sourceIds } from "./source-ids.js";
import type { TranslateCallOptions, Translation } from "./types.js";

/** What a translator holds: its engine, how it selects languages, its window. @internal */
export interface TranslationModel {
  engine: Seq2SeqEngine;
  scheme: TranslationScheme;
  window: number;
}

/**
 * Translates texts: resolves the language pair, builds the encoder inputs (prefix or language tokens), refuses
 * inputs longer than the encoder window, and decodes with core's generation path.
 *
 * @internal
 */
export async function translateTexts(t: TranslationModel, input: unknown, options: TranslateCallOptions): Promise<Translation[]> {
  const texts = checkTexts(input, "translate");
  const { model } = t.engine;
  const label = model.source.label;
  const { from, to, ...call } = options;
  const pair = resolvePair(t.scheme, label, (token) => model.tokenizer.tokenToId(token), from, to);
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
  const forcedBos = call.forcedBosTokenId ?? pair.forcedBosTokenId;
  const sequences = await decodeInputs(
    t.engine,
    inputs,
    settings.generationConfig,
    forcedBos === undefined ? call : { ...call, forcedBosTokenId: forcedBos },
    metrics,
  );
  const summary = metrics.finish(
    inputs.reduce((n, ids) => n + ids.length, 0),
    generatedTokens(sequences),
  );
  return toResults(sequences, summary).map((r) => ({ ...r, from: pair.from, to: pair.to }));
}
