import { createTranslator, type TextStream, type TranslateCallOptions, type Translation, type Translator } from "@proj/seq2seq";
import { callable, type PipelineBase } from "../shared/base.js";
import { baseOf, type FactoryContext } from "../shared/context.js";

/**
 * A translation pipeline: call it with a text (or texts) for its translation. The language pair comes from the
 * call, else from the pipeline options or a `"translation_xx_to_yy"` task name.
 *
 * @example
 * const toGerman = await pipeline("translation_en_to_de");
 * const { text } = await toGerman("A dog runs through the grass.");
 * const toFrench = await pipeline("translation", { model: "Xenova/m2m100_418M", from: "en", to: "fr" });
 */
export interface TranslationPipeline extends PipelineBase<"translation", Translator> {
  /** Translates one text. */
  (text: string, options?: TranslateCallOptions): Promise<Translation>;
  /** Translates several texts, in batches. */
  (texts: string[], options?: TranslateCallOptions): Promise<Translation[]>;
  /** Streams the translation of one text as text deltas (in one piece with beam search). */
  stream(text: string, options?: TranslateCallOptions): TextStream<Translation>;
  /** The default source language of calls, if set. */
  readonly from: string | undefined;
  /** The default target language of calls, if set. */
  readonly to: string | undefined;
}

/**
 * Builds a {@link TranslationPipeline} with `@proj/seq2seq`'s `createTranslator`.
 *
 * @internal
 */
export async function translationPipeline(context: FactoryContext): Promise<TranslationPipeline> {
  const from = context.options.from ?? context.resolved.from;
  const to = context.options.to ?? context.resolved.to;
  const pair = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
  const handle = await createTranslator(context.modelId, context.create);
  const call = (input: string | string[], options?: TranslateCallOptions) => handle.translate(input as string, { ...pair, ...options });
  return callable<TranslationPipeline>(call, baseOf(context, handle), {
    stream: (text: string, options?: TranslateCallOptions) => handle.stream(text, { ...pair, ...options }),
    from,
    to,
  });
}
